import type PgBoss from "pg-boss";

// Every queue Greenlight uses, with its policy: created at migration time (installQueues), so a
// job sent inside a transaction always finds its queue.

export const QUEUES = {
  /**
   * One job per deployment. Stately: per deployment (singletonKey) at most one job waiting and
   * one running, and the worker's claim (queued → running in one UPDATE) makes a second
   * delivery a no-op. No retries: a failed deploy is failed, never silently run again.
   */
  deploy: { name: "deploy", policy: "stately", retryLimit: 0, expireInSeconds: 4 * 3600 },
  /**
   * The next move of a rollout under way: a traffic step, a round of health measurements, a
   * report's deadline, a rollback. Each job names the deployment's stepVersion it expects; the
   * worker's first UPDATE requires it and bumps it, so a duplicate, or a job made stale by a
   * pause or an abort, does nothing. No retries: the reconciler decides after a crash.
   */
  rollout: { name: "rollout", policy: "standard", retryLimit: 0, expireInSeconds: 4 * 3600 },
  /**
   * A scheduled flag change, sent with startAfter = its time. The worker's first UPDATE moves
   * the change from pending, so a second delivery or a retry finds nothing to do: it applies
   * once. Retried after an error (the database was away), never after it applied or failed.
   */
  flagChange: { name: "flag-change", policy: "standard", retryLimit: 5, retryDelay: 10, expireInSeconds: 300 },
  /**
   * Fan one NotificationEvent out: inbox rows for the people it concerns and one delivery row
   * (with its job) per mailbox and webhook. Sent in the transaction of the change, so a
   * promotion pays one insert, never a message. Idempotent (unique rows), so retried freely.
   */
  notify: {
    name: "notify",
    policy: "standard",
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
  },
  /**
   * One attempt at one NotificationDelivery (an email or a webhook call). The row, not pg-boss,
   * counts attempts and schedules the next with backoff: the job names the attempt it expects,
   * and the worker's first UPDATE claims it, so a duplicate job sends nothing.
   */
  delivery: { name: "notification-delivery", policy: "standard", retryLimit: 0, expireInSeconds: 300 },
  /**
   * Auto-promotion once time has opened a gate: sent with startAfter = the moment a release's
   * soak time or freeze window ends (lib/data/promotion/auto-promote.ts). Short policy with the
   * moment in the singleton key: one waiting job per release × environment × moment, however
   * often the same wait is found. The worker takes the same locks and gates as a promotion and
   * finds a deployment already made, so a second delivery or a retry promotes nothing twice.
   */
  autoPromote: {
    name: "auto-promote",
    policy: "short",
    retryLimit: 5,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 300,
  },
} as const satisfies Record<string, PgBoss.Queue>;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

export interface JobData {
  deploy: { deploymentId: string };
  rollout: { deploymentId: string; stepVersion: number };
  flagChange: { scheduledChangeId: string };
  notify: { eventId: string };
  delivery: { deliveryId: string; attempt: number };
  autoPromote: { releaseId: string; environmentId: string };
}
