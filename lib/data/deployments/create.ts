import "server-only";
import type { Actor } from "@/lib/domain/access";
import type { DeploymentKind } from "@/lib/domain/rollout-engine";
import { parseRolloutSteps, rolloutPlan, type RolloutStrategy } from "@/lib/domain/rollout";
import { sendInTransaction } from "@/lib/queue/send";
import type { Tx } from "../context";
import { deploymentStatusEnum, strategyEnum } from "../enums";
import { copyDeploymentChecklist } from "./checklist-copy";

// A queued deployment and its deploy job, in the caller's transaction: they commit together or
// not at all, so no committed deployment waits for a job that was never sent. The rollout plan
// (traffic steps), what runs there now (what a rollback puts back) and the colours are fixed
// here, when it is queued: a settings change later does not alter a rollout under way.
//
// One deployment at a time holds an application × environment: while another is active the new
// one waits in the queue without a job, and the one that finishes sends the job of the oldest
// waiting (lib/data/deployments/queue.ts). Callers hold lockApplicationEnvironment.

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
  kind?: DeploymentKind;
  /** a rollback: the deployment it undoes */
  rollbackOfId?: string | null;
}

type Color = "BLUE" | "GREEN";
const other = (c: Color): Color => (c === "BLUE" ? "GREEN" : "BLUE");

/** What runs in the application × environment now: the last successful deployment. */
export async function currentDeployment(tx: Tx, applicationId: string, environmentId: string) {
  return tx.deployment.findFirst({
    where: { applicationId, environmentId, status: "SUCCEEDED" },
    orderBy: [{ finishedAt: "desc" }, { queuedAt: "desc" }],
    select: { id: true, releaseId: true, activeColor: true, previousColor: true, previousReleaseId: true },
  });
}

/** Whether another deployment holds the application × environment (running, paused, rolling back). */
export async function activeDeployment(tx: Tx, applicationId: string, environmentId: string) {
  return tx.deployment.findFirst({
    where: { applicationId, environmentId, status: { in: ["RUNNING", "PAUSED", "ROLLING_BACK"] } },
    select: { id: true },
  });
}

export async function createDeployment(tx: Tx, d: NewDeployment): Promise<{ id: string; waiting: boolean }> {
  const [environment, current, active, queued] = await Promise.all([
    tx.environment.findUniqueOrThrow({ where: { id: d.environmentId }, select: { rolloutSteps: true } }),
    currentDeployment(tx, d.applicationId, d.environmentId),
    activeDeployment(tx, d.applicationId, d.environmentId),
    tx.deployment.count({
      where: { applicationId: d.applicationId, environmentId: d.environmentId, status: "QUEUED" },
    }),
  ]);
  const kind = d.kind ?? "promotion";
  const plan = rolloutPlan(d.strategy, parseRolloutSteps(environment.rolloutSteps));
  // blue-green and canary ship to the idle colour; the one serving now keeps the previous release
  const serving: Color | null = current?.activeColor ?? null;
  const colors =
    kind === "rollback"
      ? // undoing: traffic goes back to the colour the undone deployment left idle
        { activeColor: current?.previousColor ?? null, previousColor: serving }
      : d.strategy === "direct"
        ? // in place: the colour serving now keeps serving (blue on a first deploy)
          { activeColor: serving ?? ("BLUE" as const), previousColor: serving }
        : { activeColor: serving ? other(serving) : ("BLUE" as const), previousColor: serving };
  const deployment = await tx.deployment.create({
    data: {
      releaseId: d.releaseId,
      applicationId: d.applicationId,
      environmentId: d.environmentId,
      kind: kind === "rollback" ? "ROLLBACK" : "PROMOTION",
      status: deploymentStatusEnum.toDb("queued"),
      strategy: strategyEnum.toDb(d.strategy),
      plan: plan.map((s) => ({ percent: s.percent, pauseSeconds: s.pauseSeconds })),
      phase: kind === "rollback" ? "ROLLBACK" : "DEPLOY",
      currentStep: -1,
      previousReleaseId: current?.releaseId ?? null,
      ...colors,
      rollbackOfId: d.rollbackOfId ?? null,
      overrideReason: d.overrideReason ?? null,
      triggeredById: d.triggeredBy?.kind === "user" ? d.triggeredBy.id : null,
      triggeredByTokenId: d.triggeredBy?.kind === "token" ? d.triggeredBy.id : null,
      queuedAt: d.queuedAt,
    },
    select: { id: true },
  });
  // what is ticked during and after it (not for a rollback: lib/domain/deployment-checklist.ts)
  if (kind !== "rollback") await copyDeploymentChecklist(tx, deployment.id, d.environmentId);
  // behind another deployment (or older waiting ones): it waits its turn, with no job yet
  const waiting = active !== null || queued > 0;
  if (!waiting) await sendDeployJob(tx, deployment.id, kind === "rollback");
  return { ...deployment, waiting };
}

/**
 * The deploy job of a queued deployment (once: the queue's singleton key). A rollback goes ahead
 * of promotions waiting for a worker elsewhere: a click on Roll back must not wait behind them.
 */
export async function sendDeployJob(tx: Tx, deploymentId: string, rollback = false): Promise<void> {
  const job = await sendInTransaction(
    tx,
    "deploy",
    { deploymentId },
    { singletonKey: deploymentId, ...(rollback ? { priority: 10 } : {}) },
  );
  // a first send finds no job with its key: null means the queue does not exist (migrations not run)
  if (!job) {
    const exists = await tx.$queryRaw<{ n: number }[]>`select 1 as n from pgboss.queue where name = 'deploy'`;
    if (exists.length === 0) throw new Error("The deploy queue is missing: apply the migrations (npm run db:deploy)");
  }
}
