import "server-only";
import type { Actor } from "@/lib/domain/access";
import type { RolloutStrategy } from "@/lib/domain/rollout";
import { sendInTransaction } from "@/lib/queue/send";
import type { Tx } from "../context";
import { deploymentStatusEnum, strategyEnum } from "../enums";

// A queued deployment and its deploy job, in the caller's transaction: they commit together or
// not at all, so no committed deployment waits for a job that was never sent.

export interface NewDeployment {
  releaseId: string;
  applicationId: string;
  environmentId: string;
  strategy: RolloutStrategy;
  /** who asked; null: Greenlight itself (auto-promotion) */
  triggeredBy: Actor | null;
  /** why it went ahead inside a freeze window */
  overrideReason?: string | null;
  queuedAt: Date;
}

export async function createDeployment(tx: Tx, d: NewDeployment): Promise<{ id: string }> {
  const deployment = await tx.deployment.create({
    data: {
      releaseId: d.releaseId,
      applicationId: d.applicationId,
      environmentId: d.environmentId,
      status: deploymentStatusEnum.toDb("queued"),
      strategy: strategyEnum.toDb(d.strategy),
      overrideReason: d.overrideReason ?? null,
      triggeredById: d.triggeredBy?.kind === "user" ? d.triggeredBy.id : null,
      triggeredByTokenId: d.triggeredBy?.kind === "token" ? d.triggeredBy.id : null,
      queuedAt: d.queuedAt,
    },
    select: { id: true },
  });
  const job = await sendInTransaction(tx, "deploy", { deploymentId: deployment.id }, { singletonKey: deployment.id });
  // a new deployment has no job yet: null means the queue does not exist (migrations not run)
  if (!job) throw new Error("The deploy queue is missing: apply the migrations (npm run db:deploy)");
  return deployment;
}
