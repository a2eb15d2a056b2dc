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
} as const satisfies Record<string, PgBoss.Queue>;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

export interface JobData {
  deploy: { deploymentId: string };
}
