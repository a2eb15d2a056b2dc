import type PgBoss from "pg-boss";
import { KILL_GRACE_MS } from "../deploy/command/provider";
import {
  claimDeployment,
  deploymentOutcome,
  interruptedByShutdown,
  requeueWaiting,
  resendLostMoves,
} from "../data/deployments";
import { FIRST_STEP_VERSION } from "../data/deployments/rollout";
import { advanceRollout } from "./rollout";
import { applyScheduledFlagChange, overdueScheduledFlagChanges } from "../data/flags/scheduled";
import { autoPromoteWhatWaits, runScheduledAutoPromotion } from "../data/promotion/auto-promote";
import { reconcileInFlight } from "./rollout-reconcile";
import { QUEUES, type JobData } from "../queue/queues";
import { workerBoss } from "./boss";
import { checkUnknownCells } from "./version-check";

// The deploy worker: takes deploy jobs from pg-boss, claims the deployment (so a job delivered
// twice runs once), runs its provider (lib/deploy/registry.ts) with a heartbeat, streams the
// log into the database and records the outcome; what follows a success (checklists, the next
// stage's auto-promotion) is recorded with it (lib/data/deployments/succeeded.ts). A reconciler,
// every few seconds, fails or follows provider calls whose worker died, and sends the job again
// for queued deployments whose job was lost and for rollouts whose next move's job was lost.
//
// Stopping (SIGTERM): the worker takes no new job, lets the deploys it runs finish for up to a
// grace period, then marks those still running as interrupted and stops their processes
// (stopDeployWorker). A worker killed outright (SIGKILL) leaves that to the next reconciler.

export interface WorkerOptions {
  /** a running deployment without a heartbeat for this long lost its worker */
  staleSeconds?: number;
  heartbeatSeconds?: number;
  reconcileSeconds?: number;
}

const DEFAULTS = { staleSeconds: 30, heartbeatSeconds: 5, reconcileSeconds: 5 };
/** deploys one process runs at a time */
const CONCURRENCY = 4;
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 60;

interface Running {
  abort: AbortController;
  done: Promise<unknown>;
}

type Globals = {
  __greenlightWorker?: { boss: PgBoss; timer: NodeJS.Timeout | undefined; stopping: boolean };
  /** the deploys this process runs now, by deployment id */
  __greenlightRunning?: Map<string, Running>;
};
const globals = globalThis as Globals;
const running: Map<string, Running> = (globals.__greenlightRunning ??= new Map<string, Running>());

/** The deployments this process is running now. */
export function runningDeployments(): string[] {
  return [...running.keys()];
}

/**
 * Runs one deployment if it is still queued and nothing else holds its application ×
 * environment: claims it, then drives its rollout (lib/jobs/rollout.ts) for as long as its moves
 * follow at once. Returns how it stands when this call lets go (a finished deploy's outcome, or
 * running / paused for a rollout that goes on), or null if it was not ours to run.
 */
export async function runDeployment(deploymentId: string, options: WorkerOptions = {}): Promise<RunOutcome | null> {
  const job = await claimDeployment(deploymentId);
  if (!job) return null;
  await advanceRollout(deploymentId, FIRST_STEP_VERSION, rolloutOptions(options));
  return outcomeOf(deploymentId);
}

export type RunOutcome = { ok: true; status: string } | { ok: false; status: string; reason: string };

async function outcomeOf(deploymentId: string): Promise<RunOutcome> {
  const row = await deploymentOutcome(deploymentId);
  if (row.status === "failed" || row.status === "rolled_back" || row.status === "cancelled")
    return { ok: false, status: row.status, reason: row.failureReason ?? row.status };
  return { ok: true, status: row.status };
}

function rolloutOptions(options: WorkerOptions) {
  return {
    heartbeatSeconds: options.heartbeatSeconds ?? DEFAULTS.heartbeatSeconds,
    running,
    stopping: () => globals.__greenlightWorker?.stopping ?? false,
  };
}

export async function reconcileOnce(options: WorkerOptions = {}) {
  const settings = { ...DEFAULTS, ...options };
  const { failed, resumed } = await reconcileInFlight(settings.staleSeconds, rolloutOptions(settings));
  const requeued = await requeueWaiting(30);
  // rollouts whose next move's job was lost (the row says when it was due)
  const resent = await resendLostMoves(settings.staleSeconds);
  // scheduled flag changes overdue by a minute: their job was lost (applying twice is a no-op)
  let flagChanges = 0;
  for (const id of await overdueScheduledFlagChanges(60))
    if ((await applyScheduledFlagChange(id)) !== "nothing") flagChanges++;
  return { failed, resumed, requeued, resent, flagChanges };
}

/** Starts this process's deploy worker and reconciler (once per process). */
export async function startDeployWorker(options: WorkerOptions = {}): Promise<void> {
  if (globals.__greenlightWorker) return;
  const settings = { ...DEFAULTS, ...options };
  const boss = await workerBoss();
  const state: NonNullable<Globals["__greenlightWorker"]> = { boss, timer: undefined, stopping: false };
  // a job fetched as the worker stops is left alone: the deployment stays queued and the
  // reconciler of a running worker sends it again
  const stopping = () => state.stopping;
  // one pg-boss worker per concurrent deploy
  await workLoops<JobData["deploy"]>(boss, QUEUES.deploy.name, stopping, (data) =>
    runDeployment(data.deploymentId, settings),
  );
  // the moves of rollouts under way (traffic steps, health rounds, deadlines, rollbacks)
  await workLoops<JobData["rollout"]>(boss, QUEUES.rollout.name, stopping, (data) =>
    advanceRollout(data.deploymentId, data.stepVersion, rolloutOptions(settings)),
  );
  // scheduled flag changes, each applied once when due (lib/data/flags/scheduled.ts)
  await workLoops<JobData["flagChange"]>(boss, QUEUES.flagChange.name, stopping, (data) =>
    applyScheduledFlagChange(data.scheduledChangeId),
  );
  // auto-promotions whose soak time or freeze window has just ended (lib/data/promotion/auto-promote.ts)
  await workLoops<JobData["autoPromote"]>(boss, QUEUES.autoPromote.name, stopping, (data) =>
    runScheduledAutoPromotion(data.releaseId, data.environmentId),
  );
  // candidates that never had an event of their own (a preset's history), or whose job was
  // lost: asked once at start, which promotes them or sends their job for when time opens them
  void autoPromoteWhatWaits()
    .then((made) => {
      if (made.length)
        console.log(`auto-promotion: promoted ${made.length} release(s) waiting since before this start`);
    })
    .catch((e: unknown) => console.error(`auto-promotion: ${(e as Error).message}`));
  // after an interrupted deploy what runs is unknown: ask the targets that can say (at start,
  // for deploys cut off by the last stop, and whenever the reconciler fails one)
  const checkVersions = () =>
    checkUnknownCells()
      .then((results) => {
        for (const r of results) console.log(`version check: ${r.message}`);
      })
      .catch((e: unknown) => console.error(`version check: ${(e as Error).message}`));
  const reconcile = (first = false) =>
    void reconcileOnce(settings)
      .then(async ({ failed }) => {
        if (failed.length) console.warn(`deploy worker: failed ${failed.length} interrupted deployment(s)`);
        if (first || failed.length) await checkVersions();
      })
      .catch((e: unknown) => console.error(`deploy reconciler: ${(e as Error).message}`));
  reconcile(true);
  state.timer = setInterval(() => reconcile(), settings.reconcileSeconds * 1000);
  state.timer.unref();
  globals.__greenlightWorker = state;
}

/**
 * CONCURRENCY pg-boss loops on a queue, one job at a time each. pg-boss waits out its poll
 * interval after a job as it does after an empty fetch, which caps a loop at two jobs a second: 50
 * one-click rollbacks took 6 s to reach their provider (npm run bench:rollouts). A loop that has
 * just run a job looks again at once instead (notifyWorker); an empty queue is still polled every 0.5 s.
 */
async function workLoops<T extends object>(
  boss: PgBoss,
  queue: string,
  stopping: () => boolean,
  run: (data: T) => Promise<unknown>,
) {
  for (let i = 0; i < CONCURRENCY; i++) {
    let id: string | undefined = undefined;
    id = await boss.work<T>(queue, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
      if (!job || stopping()) return;
      await run(job.data);
      if (id && !stopping()) boss.notifyWorker(id);
    });
  }
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export interface ShutdownReport {
  /** deploys that finished on their own within the grace period */
  finished: string[];
  /** deploys cut off at the end of it, failed as interrupted */
  interrupted: string[];
}

/**
 * Stops taking deploy jobs, waits up to `graceSeconds` for the deploys this process runs, then
 * fails those still running as interrupted (audited, interruptedAt set) and stops their
 * processes (SIGTERM, then SIGKILL after the provider's own grace).
 */
export async function stopDeployWorker(
  options: {
    graceSeconds?: number;
    log?: (line: string) => void;
    /** settles to end the wait early (a second signal) */
    cutShort?: Promise<unknown>;
  } = {},
): Promise<ShutdownReport> {
  const log = options.log ?? (() => undefined);
  const worker = globals.__greenlightWorker;
  globals.__greenlightWorker = undefined;
  if (worker) {
    worker.stopping = true;
    clearInterval(worker.timer);
    // no new fetches; a handler already running goes on (pg-boss offWork)
    await worker.boss.offWork(QUEUES.deploy.name);
    await worker.boss.offWork(QUEUES.rollout.name);
    await worker.boss.offWork(QUEUES.flagChange.name);
    await worker.boss.offWork(QUEUES.autoPromote.name);
  }
  const graceSeconds = options.graceSeconds ?? DEFAULT_SHUTDOWN_GRACE_SECONDS;
  const started = [...running.keys()];
  if (started.length === 0) return { finished: [], interrupted: [] };
  log(`deploy worker: waiting up to ${graceSeconds} s for ${started.length} running deploy(s) to finish`);
  const since = Date.now();
  await Promise.race([
    Promise.all([...running.values()].map((r) => r.done)),
    sleep(graceSeconds * 1000),
    ...(options.cutShort ? [options.cutShort] : []),
  ]);
  const left = [...running.entries()];
  const finished = started.filter((id) => !running.has(id));
  if (left.length === 0) return { finished, interrupted: [] };
  const waited = Math.round((Date.now() - since) / 1000);
  log(`deploy worker: ${left.length} deploy(s) still running after ${waited} s: failing them as interrupted`);
  // a call whose provider can follow its remote work is left to the next worker; others end interrupted
  const { failed: interrupted } = await reconcileInFlight(
    0,
    {},
    left.map(([id]) => id),
    interruptedByShutdown(waited),
  );
  for (const [, r] of left) r.abort.abort();
  // their processes get SIGTERM now and SIGKILL after KILL_GRACE_MS; their last lines are written
  await Promise.race([Promise.all(left.map(([, r]) => r.done)), sleep(KILL_GRACE_MS + 2000)]);
  return { finished, interrupted };
}
