import "server-only";
import os from "node:os";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-state";
import { ROLLOUT_STRATEGIES } from "@/lib/domain/rollout";
import { db } from "../../db";
import { audit } from "../audit/record";
import { fromSql, logStreamEnum, providerKindEnum } from "../enums";
import type { DeployJob } from "./job";
import { moveSql } from "./transition";
import { lockApplicationEnvironment } from "../releases/lock";

// A deployment runs at most once: a worker claims it by moving it from queued to running in one
// conditional UPDATE (lib/domain/deployment-state.ts), so a job delivered twice, or to two
// workers, runs once. The worker's identity goes into its own column; providerRef is the
// provider's.

export const WORKER_ID = `${os.hostname()}:${process.pid}`;

interface ClaimRow {
  deploymentId: string;
  status: string;
  applicationId: string;
  applicationKey: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  environmentUrl: string | null;
  releaseId: string;
  version: string;
  commitSha: string;
  strategy: string;
}

/** queued → running, or null if someone else has it (or it was cancelled meanwhile). */
export async function claimDeployment(deploymentId: string, workerId = WORKER_ID): Promise<DeployJob | null> {
  const claim = moveSql("claim");
  return db().$transaction(async (tx) => {
    const [cell] = await tx.$queryRaw<{ applicationId: string; environmentId: string }[]>`
      select "applicationId", "environmentId" from "Deployment" where id = ${deploymentId}::uuid`;
    if (!cell) return null;
    // one deployment at a time per application × environment: claims there take turns
    await lockApplicationEnvironment(tx, cell.applicationId, cell.environmentId);
    const [row] = await tx.$queryRaw<ClaimRow[]>`
      update "Deployment" d set status = ${claim.to}, "startedAt" = now(), "heartbeatAt" = now(), "workerId" = ${workerId},
        -- its first move is due now (this worker goes straight on to it; the reconciler if it dies first)
        "nextMoveAt" = now()
      from "Release" r, "Application" a, "Environment" e
      where d.id = ${deploymentId}::uuid and d.${claim.allowed}
        and r.id = d."releaseId" and a.id = d."applicationId" and e.id = d."environmentId"
        and not exists (select 1 from "Deployment" o where o."applicationId" = d."applicationId"
          and o."environmentId" = d."environmentId" and o.id <> d.id
          and o.status::text in ('running', 'paused', 'rolling_back'))
      returning d.id as "deploymentId", d.status::text as status, a.id as "applicationId", a.key as "applicationKey",
        e.id as "environmentId", e.key as "environmentKey", e.name as "environmentName", e.url as "environmentUrl",
        r.id as "releaseId", r.version, r."commitSha", d.strategy::text as strategy`;
    if (!row) return null;
    const [target, previous] = await Promise.all([
      tx.deployTarget.findUnique({
        where: { applicationId_environmentId: { applicationId: row.applicationId, environmentId: row.environmentId } },
        select: { provider: true, config: true, secretEnvVar: true, timeoutSeconds: true },
      }),
      tx.$queryRaw<{ version: string; commitSha: string }[]>`
        select r.version, r."commitSha" from "Deployment" d join "Release" r on r.id = d."releaseId"
        where d."applicationId" = ${row.applicationId}::uuid and d."environmentId" = ${row.environmentId}::uuid
          and d.status = 'succeeded'
        order by d."finishedAt" desc nulls last limit 1`,
    ]);
    await tx.deploymentLogLine.create({
      data: {
        deploymentId,
        stream: logStreamEnum.toDb("system"),
        line: `Deploy of ${row.version} to ${row.environmentName} started on ${workerId}`,
      },
    });
    await audit(tx, null, {
      action: "deployment.start",
      entityType: "Deployment",
      entityId: deploymentId,
      environmentId: row.environmentId,
      before: { status: "queued" },
      after: { status: row.status, worker: workerId },
    });
    return {
      deploymentId,
      status: fromSql(DEPLOYMENT_STATUSES, row.status, "deployment status"),
      application: { id: row.applicationId, key: row.applicationKey },
      environment: {
        id: row.environmentId,
        key: row.environmentKey,
        name: row.environmentName,
        url: row.environmentUrl,
      },
      release: { id: row.releaseId, version: row.version, commitSha: row.commitSha },
      strategy: fromSql(ROLLOUT_STRATEGIES, row.strategy, "rollout strategy"),
      previous: previous[0] ?? null,
      target: target
        ? {
            provider: providerKindEnum.fromDb(target.provider),
            config: target.config,
            secretEnvVar: target.secretEnvVar,
            timeoutSeconds: target.timeoutSeconds,
          }
        : null,
    };
  });
}
