import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from "@/lib/domain/deployment-state";
import { ROLLOUT_STRATEGIES, type RolloutStrategy } from "@/lib/domain/rollout";
import { fromSql } from "../enums";
import { actorOf, type Actor } from "../pipeline/summaries";

/** Deployment.providerRef of a row a version check wrote (lib/data/deployments/check.ts). */
export const VERSION_CHECK_REF = "version-check";

// A deployment as the pages show it, and the SQL columns it is read from.

export interface DeploymentSummary {
  id: string;
  status: DeploymentStatus;
  strategy: RolloutStrategy;
  trafficPercent: number;
  failureReason: string | null;
  isRollback: boolean;
  /** cut off before it finished (a crash, a stop past the grace period) */
  interrupted: boolean;
  /** not a deploy: a version check's record of what the target said it runs */
  confirmedByCheck: boolean;
  /** why it was promoted inside a freeze window, when it was */
  overrideReason: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  triggeredBy: Actor;
}

export interface DeploymentRow {
  id: string;
  status: string;
  strategy: string;
  trafficPercent: number;
  failureReason: string | null;
  rollbackOfId: string | null;
  interruptedAt: Date | null;
  providerRef: string | null;
  overrideReason: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  triggeredByUser: string | null;
  triggeredByToken: string | null;
}

/** Columns for a DeploymentRow; join "User" u and "ApiToken" t on the deployment d. */
export const deploymentColumns = Prisma.sql`
  d.id, d.status::text as status, d.strategy::text as strategy, d."trafficPercent", d."failureReason", d."rollbackOfId",
  d."interruptedAt", d."providerRef",
  d."overrideReason", d."queuedAt", d."startedAt", d."finishedAt",
  coalesce(u.name, u.email) as "triggeredByUser", t.name as "triggeredByToken"`;

export function toDeploymentSummary(row: DeploymentRow): DeploymentSummary {
  return {
    id: row.id,
    status: fromSql(DEPLOYMENT_STATUSES, row.status, "deployment status"),
    strategy: fromSql(ROLLOUT_STRATEGIES, row.strategy, "rollout strategy"),
    trafficPercent: row.trafficPercent,
    failureReason: row.failureReason,
    isRollback: row.rollbackOfId !== null,
    interrupted: row.interruptedAt !== null,
    confirmedByCheck: row.providerRef === VERSION_CHECK_REF,
    overrideReason: row.overrideReason,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    triggeredBy: actorOf(row.triggeredByUser, row.triggeredByToken),
  };
}
