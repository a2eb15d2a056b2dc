import "server-only";
import type { ChecklistPhase } from "@/lib/domain/deployment-checklist";
import type { DeploymentStatus } from "@/lib/domain/deployment-state";
import type { DeployProviderKind, LogStream } from "@/lib/domain/deploy-providers";
import type { QueuePolicy } from "@/lib/domain/deploy-queue";
import type { NotificationKind } from "@/lib/domain/notifications";
import type { RolloutStrategy } from "@/lib/domain/rollout";
import type * as Db from "@/lib/generated/prisma/enums";

// The one mapping between the domain's names ("blue_green") and the Prisma client's enum names
// ("BLUE_GREEN"). The database itself stores the domain's names (@map in schema.prisma), so raw
// SQL reads them as they are; the Prisma client speaks its own. Both directions are total and
// checked by the compiler: a status added to one side and not the other does not build.

function bijection<D extends string, P extends string>(toDb: Record<D, P>) {
  const fromDb = Object.fromEntries(Object.entries(toDb).map(([d, p]) => [p, d])) as Record<P, D>;
  return { toDb: (value: D): P => toDb[value], fromDb: (value: P): D => fromDb[value] };
}

export const strategyEnum = bijection<RolloutStrategy, Db.RolloutStrategy>({
  direct: "DIRECT",
  blue_green: "BLUE_GREEN",
  canary: "CANARY",
});

export const deploymentStatusEnum = bijection<DeploymentStatus, Db.DeploymentStatus>({
  queued: "QUEUED",
  running: "RUNNING",
  paused: "PAUSED",
  rolling_back: "ROLLING_BACK",
  succeeded: "SUCCEEDED",
  failed: "FAILED",
  rolled_back: "ROLLED_BACK",
  cancelled: "CANCELLED",
});

export const providerKindEnum = bijection<DeployProviderKind, Db.DeployProviderKind>({
  command: "COMMAND",
  webhook: "WEBHOOK",
  github_actions: "GITHUB_ACTIONS",
});

export const queuePolicyEnum = bijection<QueuePolicy, Db.DeployQueuePolicy>({
  queue: "QUEUE",
  replace: "REPLACE",
  refuse: "REFUSE",
});

export const logStreamEnum = bijection<LogStream, Db.LogStream>({
  stdout: "STDOUT",
  stderr: "STDERR",
  system: "SYSTEM",
});

export const notificationKindEnum = bijection<NotificationKind, Db.NotificationKind>({
  "approval.waiting": "APPROVAL_WAITING",
  "checklist.waiting": "CHECKLIST_WAITING",
  "flag_change.waiting": "FLAG_CHANGE_WAITING",
  "deployment.failed": "DEPLOYMENT_FAILED",
  "deployment.rolled_back": "DEPLOYMENT_ROLLED_BACK",
  "deployment.paused": "DEPLOYMENT_PAUSED",
  "freeze.override": "FREEZE_OVERRIDE",
  "release.production": "RELEASE_IN_PRODUCTION",
});

export type CheckStatus = "pending" | "success" | "failure";

export const checkStatusEnum = bijection<CheckStatus, Db.CheckStatus>({
  pending: "PENDING",
  success: "SUCCESS",
  failure: "FAILURE",
});

export type WebhookFormat = "slack" | "standard_webhooks";

export const webhookFormatEnum = bijection<WebhookFormat, Db.WebhookFormat>({
  slack: "SLACK",
  standard_webhooks: "STANDARD",
});

export type DeliveryStatus = "pending" | "sending" | "delivered" | "failed";

export const deliveryStatusEnum = bijection<DeliveryStatus, Db.DeliveryStatus>({
  pending: "PENDING",
  sending: "SENDING",
  delivered: "DELIVERED",
  failed: "FAILED",
});

export const checklistPhaseEnum = bijection<ChecklistPhase, Db.ChecklistPhase>({
  before: "BEFORE",
  during: "DURING",
  after: "AFTER",
});

/**
 * A status, strategy … as raw SQL returns it (the database's own spelling), checked: an
 * unknown value is schema drift, not input, and throws.
 */
export function fromSql<T extends string>(allowed: readonly T[], value: string, what: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new Error(`unknown ${what} ${value}`);
  return found;
}
