import type PgBoss from "pg-boss";
import { providerFor } from "../deploy/registry";
import type { DeployResult } from "../deploy/provider";
import {
  appendLog,
  claimDeployment,
  failInterrupted,
  finishDeployment,
  heartbeat,
  requeueWaiting,
} from "../data/deployments";
import { QUEUES, type JobData } from "../queue/queues";
import { workerBoss } from "./boss";

// The deploy worker: takes deploy jobs from pg-boss, claims the deployment (so a job delivered
// twice runs once), runs its provider (lib/deploy/registry.ts) with a heartbeat, streams the
// log into the database and records the outcome; what follows a success (checklists, the next
// stage's auto-promotion) is recorded with it (lib/data/deployments/succeeded.ts). A reconciler,
// every few seconds, fails deployments whose worker died and sends the job again for queued
// deployments whose job was lost.

export interface WorkerOptions {
  /** a running deployment without a heartbeat for this long lost its worker */
  staleSeconds?: number;
  heartbeatSeconds?: number;
  reconcileSeconds?: number;
}

const DEFAULTS = { staleSeconds: 30, heartbeatSeconds: 5, reconcileSeconds: 5 };
/** deploys one process runs at a time */
const CONCURRENCY = 4;

/** Runs one deployment if it is still queued; returns its outcome, or null if it was not ours to run. */
export async function runDeployment(deploymentId: string, options: WorkerOptions = {}): Promise<DeployResult | null> {
  const { heartbeatSeconds } = { ...DEFAULTS, ...options };
  const job = await claimDeployment(deploymentId);
  if (!job) return null;
  const provider = providerFor(job.target, `${job.application.key} in ${job.environment.name}`);
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
  await finishDeployment(job, result.ok ? { ok: true } : { ok: false, reason: result.reason });
  return result;
}

export async function reconcileOnce(options: WorkerOptions = {}) {
  const { staleSeconds } = { ...DEFAULTS, ...options };
  const failed = await failInterrupted(staleSeconds);
  const requeued = await requeueWaiting(30);
  return { failed, requeued };
}

type Globals = { __greenlightWorker?: { boss: PgBoss; timer: NodeJS.Timeout } };
const globals = globalThis as Globals;

/** Starts this process's deploy worker and reconciler (once per process). */
export async function startDeployWorker(options: WorkerOptions = {}): Promise<void> {
  if (globals.__greenlightWorker) return;
  const settings = { ...DEFAULTS, ...options };
  const boss = await workerBoss();
  // one pg-boss worker per concurrent deploy
  for (let i = 0; i < CONCURRENCY; i++)
    await boss.work<JobData["deploy"]>(
      QUEUES.deploy.name,
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
  await worker.boss.offWork(QUEUES.deploy.name);
}
