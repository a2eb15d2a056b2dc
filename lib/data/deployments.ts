import "server-only";
import os from "node:os";
import { db } from "../db";
import { audit } from "./audit";
import { copyChecklist, nextEnvironmentId } from "./gate-facts";

// The database side of running a deployment, for the deploy worker (lib/jobs/deploy-worker.ts).
// A deployment runs at most once: a worker claims it by moving it from queued to running in
// one conditional UPDATE, keeps a heartbeat while the provider works, and finishes it with a
// conditional UPDATE too. A deployment whose heartbeat went stale lost its worker (a crash, a
// restart): the reconciler fails it with that reason instead of running it again, because a
// half-run deploy script is not known to be safe to repeat.

export const WORKER_ID = `${os.hostname()}:${process.pid}`;

export interface DeployJob {
  deploymentId: string;
  application: { id: string; key: string };
  environment: { id: string; key: string; name: string; url: string | null };
  release: { id: string; version: string; commitSha: string };
  strategy: "direct" | "blue_green" | "canary";
  /** what ran there before, for the provider's context and for rollbacks */
  previous: { version: string; commitSha: string } | null;
  target: {
    provider: "command" | "webhook" | "github_actions";
    config: unknown;
    secretEnvVar: string | null;
    timeoutSeconds: number;
  } | null;
}

interface ClaimRow {
  deploymentId: string;
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
export async function claimDeployment(deploymentId: string): Promise<DeployJob | null> {
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<ClaimRow[]>`
      update "Deployment" d set status = 'running', "startedAt" = now(), "heartbeatAt" = now(), "providerRef" = ${WORKER_ID}
      from "Release" r, "Application" a, "Environment" e
      where d.id = ${deploymentId}::uuid and d.status = 'queued'
        and r.id = d."releaseId" and a.id = d."applicationId" and e.id = d."environmentId"
      returning d.id as "deploymentId", a.id as "applicationId", a.key as "applicationKey", e.id as "environmentId",
        e.key as "environmentKey", e.name as "environmentName", e.url as "environmentUrl", r.id as "releaseId",
        r.version, r."commitSha", d.strategy::text as strategy`;
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
        stream: "SYSTEM",
        line: `Deploy of ${row.version} to ${row.environmentName} started on ${WORKER_ID}`,
      },
    });
    await audit(tx, null, {
      action: "deployment.start",
      entityType: "Deployment",
      entityId: deploymentId,
      environmentId: row.environmentId,
      before: { status: "queued" },
      after: { status: "running", worker: WORKER_ID },
    });
    return {
      deploymentId,
      application: { id: row.applicationId, key: row.applicationKey },
      environment: {
        id: row.environmentId,
        key: row.environmentKey,
        name: row.environmentName,
        url: row.environmentUrl,
      },
      release: { id: row.releaseId, version: row.version, commitSha: row.commitSha },
      strategy: row.strategy as DeployJob["strategy"],
      previous: previous[0] ?? null,
      target: target
        ? {
            provider: target.provider.toLowerCase() as "command" | "webhook" | "github_actions",
            config: target.config,
            secretEnvVar: target.secretEnvVar,
            timeoutSeconds: target.timeoutSeconds,
          }
        : null,
    };
  });
}

export async function appendLog(deploymentId: string, stream: "stdout" | "stderr" | "system", line: string, at: Date) {
  await db().deploymentLogLine.create({
    data: { deploymentId, stream: stream.toUpperCase() as "STDOUT" | "STDERR" | "SYSTEM", line, at },
  });
}

export async function heartbeat(deploymentId: string): Promise<void> {
  await db()
    .$executeRaw`update "Deployment" set "heartbeatAt" = now() where id = ${deploymentId}::uuid and status = 'running'`;
}

/**
 * running → succeeded | failed. On success the checklists that now concern the release are
 * copied for it: this environment's and the next one's. False if the deployment was no
 * longer running (the reconciler failed it meanwhile): nothing is overwritten.
 */
export async function finishDeployment(
  job: Pick<DeployJob, "deploymentId" | "environment" | "release">,
  outcome: { ok: true } | { ok: false; reason: string },
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const reason = outcome.ok ? null : outcome.reason.slice(0, 2000);
    const updated = await tx.$executeRaw`
      update "Deployment" set status = ${outcome.ok ? "succeeded" : "failed"}::"DeploymentStatus", "finishedAt" = now(),
        "failureReason" = ${reason}, "trafficPercent" = ${outcome.ok ? 100 : 0}, "heartbeatAt" = null
      where id = ${job.deploymentId}::uuid and status = 'running'`;
    if (updated === 0) return false;
    await tx.deploymentLogLine.create({
      data: {
        deploymentId: job.deploymentId,
        stream: "SYSTEM",
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
    if (outcome.ok) {
      // the release now runs here (this stage's "while it runs here" checklist starts) and is
      // the next stage's candidate (its pre-deployment checklist starts)
      await copyChecklist(tx, job.release.id, job.environment.id);
      const next = await nextEnvironmentId(tx, job.environment.id);
      if (next) await copyChecklist(tx, job.release.id, next);
    }
    return true;
  });
}

export const INTERRUPTED =
  "Interrupted: the worker running this deploy stopped (Greenlight was restarted or crashed) before it finished. " +
  "It was not run again; check the environment, then promote again.";

/**
 * Fails running deployments whose worker stopped beating, and returns queued deployments that
 * have waited longer than `requeueAfterSeconds`, for the caller to enqueue again.
 */
export async function reconcileDeployments(options: { staleSeconds: number; requeueAfterSeconds: number }) {
  const stale = await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; environmentId: string; worker: string | null }[]>`
      update "Deployment" set status = 'failed', "finishedAt" = now(), "failureReason" = ${INTERRUPTED}, "heartbeatAt" = null
      where status = 'running'
        and coalesce("heartbeatAt", "startedAt", "queuedAt") < now() - make_interval(secs => ${options.staleSeconds})
      returning id, "environmentId", "providerRef" as worker`;
    for (const row of rows) {
      await tx.deploymentLogLine.create({ data: { deploymentId: row.id, stream: "SYSTEM", line: INTERRUPTED } });
      await audit(tx, null, {
        action: "deployment.fail",
        entityType: "Deployment",
        entityId: row.id,
        environmentId: row.environmentId,
        before: { status: "running", worker: row.worker },
        after: { status: "failed", reason: INTERRUPTED },
      });
    }
    return rows.map((r) => r.id);
  });
  const waiting = await db().$queryRaw<{ id: string }[]>`
    select id from "Deployment" where status = 'queued'
      and "queuedAt" < now() - make_interval(secs => ${options.requeueAfterSeconds})
    order by "queuedAt" limit 100`;
  return { failed: stale, requeue: waiting.map((w) => w.id) };
}

export async function nextEnvironmentAfter(environmentId: string): Promise<string | null> {
  return nextEnvironmentId(db(), environmentId);
}
