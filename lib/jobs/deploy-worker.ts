import type PgBoss from "pg-boss";
import { commandConfigSchema, commandProvider } from "../deploy/command";
import type { DeployProvider, DeployResult } from "../deploy/provider";
import {
  appendLog,
  claimDeployment,
  finishDeployment,
  heartbeat,
  reconcileDeployments,
  type DeployJob,
} from "../data/deployments";
import { nextEnvironmentAfter } from "../data/deployments";
import { autoPromote } from "../data/promote";
import { DEPLOY_QUEUE, enqueueDeploy, queue } from "./deploy-queue";

// The deploy worker: takes deploy jobs from pg-boss, claims the deployment (so a job delivered
// twice runs once), runs its provider with a heartbeat, streams the log into the database and
// records the outcome. A reconciler, every few seconds, fails deployments whose worker died and
// re-enqueues deployments that were committed but never reached the queue.

export interface WorkerOptions {
  /** a running deployment without a heartbeat for this long lost its worker */
  staleSeconds?: number;
  heartbeatSeconds?: number;
  reconcileSeconds?: number;
}

const DEFAULTS = { staleSeconds: 30, heartbeatSeconds: 5, reconcileSeconds: 5 };

export function providerFor(job: DeployJob): DeployProvider | string {
  const { target } = job;
  if (!target) return `No deploy target is configured for ${job.application.key} in ${job.environment.name}`;
  if (target.provider !== "command")
    return `The ${target.provider} provider is not available yet; configure a command target for ${job.application.key} in ${job.environment.name}`;
  const parsed = commandConfigSchema.safeParse({
    ...(typeof target.config === "object" && target.config ? target.config : {}),
    timeoutSeconds: target.timeoutSeconds,
    ...(target.secretEnvVar ? { secretEnvVar: target.secretEnvVar } : {}),
  });
  if (!parsed.success)
    return `The deploy target of ${job.application.key} in ${job.environment.name} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`;
  return commandProvider(parsed.data);
}

/** Runs one deployment if it is still queued; returns its outcome, or null if it was not ours to run. */
export async function runDeployment(deploymentId: string, options: WorkerOptions = {}): Promise<DeployResult | null> {
  const { heartbeatSeconds } = { ...DEFAULTS, ...options };
  const job = await claimDeployment(deploymentId);
  if (!job) return null;
  const provider = providerFor(job);
  if (typeof provider === "string") {
    await finishDeployment(job, { ok: false, reason: provider });
    return { ok: false, reason: provider };
  }
  const beat = setInterval(() => void heartbeat(deploymentId).catch(() => undefined), heartbeatSeconds * 1000);
  const abort = new AbortController();
  let result: DeployResult;
  try {
    result = await provider.deploy(
      {
        deploymentId,
        application: { key: job.application.key },
        environment: { key: job.environment.key, url: job.environment.url },
        release: {
          version: job.release.version,
          commitSha: job.release.commitSha,
          previousVersion: job.previous?.version,
          previousCommitSha: job.previous?.commitSha,
        },
        strategy: job.strategy,
        signal: abort.signal,
      },
      (line) => appendLog(deploymentId, line.stream, line.text, line.at),
    );
  } catch (e) {
    result = { ok: false, reason: `The provider failed: ${(e as Error).message}` };
  } finally {
    clearInterval(beat);
  }
  const recorded = await finishDeployment(job, result.ok ? { ok: true } : { ok: false, reason: result.reason });
  if (recorded && result.ok) {
    const next = await nextEnvironmentAfter(job.environment.id);
    if (next) await autoPromote(job.release.id, next);
  }
  return result;
}

export async function reconcileOnce(options: WorkerOptions = {}) {
  const { staleSeconds } = { ...DEFAULTS, ...options };
  const { failed, requeue } = await reconcileDeployments({ staleSeconds, requeueAfterSeconds: 30 });
  for (const id of requeue) await enqueueDeploy(id);
  return { failed, requeued: requeue };
}

type Globals = { __greenlightWorker?: { boss: PgBoss; timer: NodeJS.Timeout } };
const globals = globalThis as Globals;

/** Starts this process's deploy worker and reconciler (once per process). */
export async function startDeployWorker(options: WorkerOptions = {}): Promise<void> {
  if (globals.__greenlightWorker) return;
  const settings = { ...DEFAULTS, ...options };
  const boss = await queue();
  // four deploys at a time per process: one pg-boss worker each
  for (let i = 0; i < 4; i++)
    await boss.work<{ deploymentId: string }>(
      DEPLOY_QUEUE,
      { pollingIntervalSeconds: 0.5, batchSize: 1 },
      async ([job]) => {
        if (job) await runDeployment(job.data.deploymentId, settings);
      },
    );
  const reconcile = () =>
    void reconcileOnce(settings)
      .then(({ failed }) => {
        if (failed.length) console.warn(`deploy worker: failed ${failed.length} interrupted deployment(s)`);
      })
      .catch((e: unknown) => console.error(`deploy reconciler: ${(e as Error).message}`));
  reconcile();
  const timer = setInterval(reconcile, settings.reconcileSeconds * 1000);
  timer.unref();
  globals.__greenlightWorker = { boss, timer };
}

export async function stopDeployWorker(): Promise<void> {
  const worker = globals.__greenlightWorker;
  globals.__greenlightWorker = undefined;
  if (!worker) return;
  clearInterval(worker.timer);
  await worker.boss.offWork(DEPLOY_QUEUE);
}
