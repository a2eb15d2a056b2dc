import "server-only";
import { db } from "../../db";
import { audit } from "../audit/record";
import { logStreamEnum } from "../enums";
import type { DeployJob } from "./job";
import { deploymentSucceeded } from "./succeeded";
import { moveSql } from "./transition";

export type DeployOutcome = { ok: true } | { ok: false; reason: string };

/**
 * running → succeeded | failed, with its log line and audit row, and on success everything that
 * follows from it (lib/data/deployments/succeeded.ts), all in one transaction. False when the
 * deployment was no longer running (the reconciler failed it meanwhile): nothing is overwritten.
 */
export async function finishDeployment(
  job: Pick<DeployJob, "deploymentId" | "environment" | "release">,
  outcome: DeployOutcome,
): Promise<boolean> {
  const move = moveSql(outcome.ok ? "succeed" : "fail");
  return db().$transaction(async (tx) => {
    const reason = outcome.ok ? null : outcome.reason.slice(0, 2000);
    const updated = await tx.$executeRaw`
      update "Deployment" set status = ${move.to}, "finishedAt" = now(),
        "failureReason" = ${reason}, "trafficPercent" = ${outcome.ok ? 100 : 0}, "heartbeatAt" = null
      where id = ${job.deploymentId}::uuid and ${move.allowed}`;
    if (updated === 0) return false;
    await tx.deploymentLogLine.create({
      data: {
        deploymentId: job.deploymentId,
        stream: logStreamEnum.toDb("system"),
        line: outcome.ok ? `Deployed ${job.release.version} to ${job.environment.name}` : `Deploy failed: ${reason}`,
      },
    });
    await audit(tx, null, {
      action: outcome.ok ? "deployment.succeed" : "deployment.fail",
      entityType: "Deployment",
      entityId: job.deploymentId,
      environmentId: job.environment.id,
      before: { status: "running" },
      after: outcome.ok ? { status: "succeeded", version: job.release.version } : { status: "failed", reason },
    });
    if (outcome.ok) await deploymentSucceeded(tx, { releaseId: job.release.id, environmentId: job.environment.id });
    return true;
  });
}
