import { providerFor } from "../deploy/registry";
import type { DeployContext, DeployProvider, DeployResult } from "../deploy/provider";
import { runHealthRound } from "../deploy/health";
import {
  parseHealthChecks,
  parseHealthState,
  EMPTY_HEALTH_STATE,
  type HealthCheck,
  type HttpHealthCheck,
} from "../domain/health-checks";
import { reportedUrl } from "../domain/reported-urls";
import {
  nextMove,
  phaseAction,
  trafficAt,
  DEPLOY_STEP,
  type RolloutMove,
  type StepOutcome,
} from "../domain/rollout-engine";
import { appendLog } from "../data/deployments";
import { CLAIMED_MOVE_SECONDS } from "../data/deployments/move-job";
import {
  claimStep,
  recordMove,
  rememberProviderRef,
  stepHeartbeat,
  type Measurement,
  type MoveExtras,
  type StepJob,
} from "../data/deployments/rollout";
import { publicUrl } from "../public-url";

// Drives a rollout one move at a time (lib/domain/rollout-engine.ts decides, lib/data records).
// Each move is claimed by its stepVersion, so it runs once whoever delivers it: the pg-boss job
// recorded with the previous move (durable: it survives a restart), or this process's fast path,
// which goes straight on to a move that is due now instead of waiting for the queue's next poll,
// and sets a timer for a move due later. Whichever comes first claims it; the other finds the
// version moved and does nothing.

export interface RolloutOptions {
  heartbeatSeconds?: number;
  /** the in-flight provider calls of this process, so a shutdown can cut them off */
  running?: Map<string, { abort: AbortController; done: Promise<unknown> }>;
  /** the fast path's timers are kept only while the worker runs */
  stopping?: () => boolean;
}

const DEFAULT_HEARTBEAT_SECONDS = 5;

/**
 * The health checks of an environment (its settings' list). The older single "health check path"
 * is not turned into a probe: it names no application, and an environment serves several.
 */
export function effectiveChecks(env: StepJob["environment"]): HealthCheck[] {
  return parseHealthChecks(env.healthChecks);
}

function where(job: StepJob): string {
  return `${job.application.key} in ${job.environment.name}`;
}

/** The provider's context for the job's phase. A rollback describes the deployment it undoes. */
export function deployContext(job: StepJob, signal: AbortSignal): DeployContext {
  const action = phaseAction(job) ?? "deploy";
  const undoing = job.kind === "rollback";
  // a rollback deployment restores job.release over job.previous: to the provider it is "put
  // the previous release back" of the deployment being undone, like an automatic rollback
  const release = undoing
    ? {
        version: job.previous?.version ?? job.release.version,
        commitSha: job.previous?.commitSha ?? job.release.commitSha,
        previousVersion: job.release.version,
        previousCommitSha: job.release.commitSha,
      }
    : {
        version: job.release.version,
        commitSha: job.release.commitSha,
        previousVersion: job.previous?.version,
        previousCommitSha: job.previous?.commitSha,
      };
  const colors = undoing
    ? { color: job.previousColor ?? undefined, previousColor: job.color ?? undefined }
    : { color: job.color ?? undefined, previousColor: job.previousColor ?? undefined };
  const index = action === "deploy" ? DEPLOY_STEP : job.currentStep;
  return {
    deploymentId: job.deploymentId,
    eventsUrl: new URL(`/api/v1/deployments/${job.deploymentId}/events`, publicUrl()).toString(),
    application: { key: job.application.key },
    environment: { key: job.environment.key, url: job.environment.url },
    release,
    strategy: job.strategy,
    ...colors,
    step: {
      index,
      count: job.plan.length,
      action,
      trafficPercent: action === "rollback" ? 0 : trafficAt(job, index),
    },
    signal,
    remember: (ref) => rememberProviderRef(job, ref),
  };
}

async function callProvider(
  job: StepJob,
  provider: DeployProvider,
  options: RolloutOptions,
  signal: AbortSignal,
): Promise<{ outcome: StepOutcome; extras: MoveExtras }> {
  const ctx = deployContext(job, signal);
  const logSink = (line: { stream: "stdout" | "stderr" | "system"; text: string; at: Date }) =>
    appendLog(job.deploymentId, line.stream, line.text, line.at);
  const beat = setInterval(
    () => void stepHeartbeat(job.deploymentId).catch(() => undefined),
    (options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000,
  );
  let result: DeployResult;
  try {
    const action = phaseAction(job);
    if (job.providerRef && provider.follow) {
      // a call cut off by a restart: follow the remote work it started, never start it again
      await appendLog(job.deploymentId, "system", `Resuming: following ${job.providerRef} after a restart`, new Date());
      result = await provider.follow(ctx, job.providerRef, logSink);
    } else if (action === "deploy") result = await provider.deploy(ctx, logSink);
    else if (action === "rollback") result = await provider.rollback(ctx, logSink);
    else if (provider.setTraffic) result = await provider.setTraffic(ctx, trafficAt(job, job.currentStep), logSink);
    else result = { ok: false, reason: `the ${provider.kind} provider cannot move traffic` };
  } catch (e) {
    result = { ok: false, reason: `The provider failed: ${(e as Error).message}` };
  } finally {
    clearInterval(beat);
  }
  const extras: MoveExtras = { providerRef: result.providerRef ?? null };
  if (result.ok === true) {
    // checked again here: every provider's word goes through the same door before it is stored
    const urls = { serviceUrl: reportedUrl(result.url), previewUrl: reportedUrl(result.previewUrl) };
    if (urls.serviceUrl || urls.previewUrl)
      await appendLog(
        job.deploymentId,
        "system",
        [
          urls.serviceUrl && `The release runs at ${urls.serviceUrl}`,
          urls.previewUrl && `the idle colour answers at ${urls.previewUrl}`,
        ]
          .filter(Boolean)
          .join("; "),
        new Date(),
      );
    return {
      outcome: { type: "provider", result: "ok" },
      extras: { ...extras, ...urls, message: result.message ?? null },
    };
  }
  if (result.ok === "pending")
    return {
      outcome: { type: "provider", result: "pending", timeoutSeconds: job.target?.timeoutSeconds ?? 600 },
      extras: { ...extras, message: result.message ?? "accepted; waiting for the receiver's report" },
    };
  return {
    outcome: { type: "provider", result: "failed", reason: result.reason },
    extras: { ...extras, message: result.reason },
  };
}

async function measure(job: StepJob): Promise<{ outcome: StepOutcome; extras: MoveExtras }> {
  const checks = effectiveChecks(job.environment);
  if (checks.length === 0)
    return {
      outcome: { type: "health", outcome: "success", reason: "no health checks configured", intervalSeconds: 5 },
      extras: {},
    };
  let round;
  try {
    round = await runHealthRound(
      checks,
      {
        application: { key: job.application.key },
        environment: { key: job.environment.key, url: job.environment.url },
        // paths resolve against where the provider said the release runs, else the environment's URL
        baseUrl: job.serviceUrl,
        color: job.color ?? undefined,
        // past this the reconciler takes the move for lost (nextMoveAt) and sends it again
        signal: AbortSignal.timeout(CLAIMED_MOVE_SECONDS * 1000),
      },
      parseHealthState(job.healthState),
    );
  } catch (e) {
    // no measurement is no evidence either way: a person decides
    const reason = `The health checks could not be measured: ${(e as Error).message}`;
    return { outcome: { type: "health", outcome: "inconclusive", reason, intervalSeconds: 5 }, extras: {} };
  }
  const bad = round.measurements.filter((m) => m.outcome === round.outcome && m.outcome !== "success");
  const reason = bad.length
    ? bad.map((m) => `${m.check}: ${m.message}`).join("; ")
    : round.measurements.map((m) => `${m.check}: ${m.message}`).join("; ");
  const interval = Math.max(1, Math.min(...checks.map((c) => c.intervalSeconds)));
  return {
    outcome: { type: "health", outcome: round.outcome, reason, intervalSeconds: interval },
    extras: { measurements: round.measurements.map((m) => ({ ...m, at: new Date(m.at) })), healthState: round.state },
  };
}

/** The checks a smoke round can aim at the idle colour: HTTP probes given as a path. */
export function smokeChecks(checks: readonly HealthCheck[]): HttpHealthCheck[] {
  return checks.filter((c): c is HttpHealthCheck => c.kind === "http" && c.url.startsWith("/"));
}

const SMOKE_RETRY_MS = 1000;

/**
 * The smoke check: the environment's HTTP probes, their paths resolved against the idle
 * colour's URL (previewUrl), before any traffic reaches it. Prometheus queries wait for the
 * traffic steps (the idle colour serves nobody yet, so they have nothing to measure), and so do
 * probes of an absolute URL (they reach what runs now, not the new colour). A probe's allowance
 * of failures in a row is spent at once, a second apart, so one slow answer does not fail a good
 * release and a bad one still fails within seconds. Nothing to aim at: skipped, and the log says why.
 */
async function smoke(job: StepJob): Promise<{ outcome: StepOutcome; extras: MoveExtras }> {
  const checks = smokeChecks(effectiveChecks(job.environment));
  const colour = job.color ? `the idle colour (${job.color})` : "the idle colour";
  const skip = (why: string) => ({
    outcome: { type: "health", outcome: "success", reason: why, intervalSeconds: 1 } as const,
    extras: { message: `skipped: ${why}`, skipped: true },
  });
  if (checks.length === 0) return skip("the environment has no HTTP health check given as a path to aim at it");
  if (!job.previewUrl) return skip(`the deploy target did not report the URL of ${colour} (preview-url)`);
  const ctx = {
    application: { key: job.application.key },
    environment: { key: job.environment.key, url: job.environment.url },
    baseUrl: job.previewUrl,
    color: job.color ?? undefined,
    signal: AbortSignal.timeout(120_000),
  };
  const measurements: Measurement[] = [];
  let state = EMPTY_HEALTH_STATE;
  let round;
  try {
    for (;;) {
      round = await runHealthRound(checks, ctx, state);
      measurements.push(...round.measurements.map((m) => ({ ...m, at: new Date(m.at) })));
      state = round.state;
      // tolerated failures are retried now, until each check passes or its allowance is spent
      const retrying = round.outcome === "success" && Object.values(state.failuresInARow).some((n) => n > 0);
      if (!retrying) break;
      await new Promise((r) => setTimeout(r, SMOKE_RETRY_MS));
    }
  } catch (e) {
    const reason = `${colour} could not be measured: ${(e as Error).message}`;
    return {
      outcome: { type: "health", outcome: "inconclusive", reason, intervalSeconds: 1 },
      extras: { measurements },
    };
  }
  const bad = round.measurements.filter((m) => m.outcome === round.outcome && m.outcome !== "success");
  const said = (bad.length ? bad : round.measurements).map((m) => `${m.check}: ${m.message}`).join("; ");
  const reason = `${colour} at ${job.previewUrl}: ${said}`;
  return {
    outcome: { type: "health", outcome: round.outcome, reason, intervalSeconds: 1 },
    extras: { measurements, message: round.outcome === "success" ? `passed: ${said}` : said },
  };
}

/** One claimed move: what happened, and where it leads. */
async function perform(
  job: StepJob,
  options: RolloutOptions,
  signal: AbortSignal,
): Promise<{ move: RolloutMove; extras: MoveExtras }> {
  const now = () => new Date();
  if (job.phase === "await") {
    const waited = job.target?.timeoutSeconds ?? 600;
    return { move: nextMove(job, { type: "deadline", waitedSeconds: waited }, now()), extras: {} };
  }
  if (job.phase === "analyse" || job.phase === "smoke") {
    const { outcome, extras } = await (job.phase === "smoke" ? smoke(job) : measure(job));
    return { move: nextMove(job, outcome, now()), extras };
  }
  const provider = providerFor(job.target, where(job));
  if (typeof provider === "string")
    return {
      move: nextMove(job, { type: "provider", result: "failed", reason: provider }, now()),
      extras: { message: provider },
    };
  if (job.providerRef && !provider.follow) {
    // cut off mid-call, and this provider cannot pick its work up: never run it twice
    const reason = `Interrupted during the ${phaseAction(job)} step; the ${provider.kind} provider cannot resume it`;
    return { move: nextMove(job, { type: "provider", result: "failed", reason }, now()), extras: { message: reason } };
  }
  const { outcome, extras } = await callProvider(job, provider, options, signal);
  return { move: nextMove(job, outcome, now()), extras };
}

const IMMEDIATE = new Set(["smoke", "shift", "analyse", "rollback"]);

/**
 * Runs the move `expected` names and, on the fast path, those that follow at once. Returns the
 * status the deployment was left in, or null if the move was not this call's to make. While it
 * runs it is listed in options.running, so a stopping worker waits for it (up to its grace
 * period) and then cuts it off through its abort signal.
 */
export async function advanceRollout(
  deploymentId: string,
  expected: number,
  options: RolloutOptions = {},
): Promise<string | null> {
  const abort = new AbortController();
  let settle: (v?: unknown) => void = () => undefined;
  const mine = { abort, done: new Promise((r) => (settle = r)) };
  options.running?.set(deploymentId, mine);
  try {
    return await drive(deploymentId, expected, options, abort.signal);
  } finally {
    if (options.running?.get(deploymentId) === mine) options.running.delete(deploymentId);
    settle();
  }
}

async function drive(
  deploymentId: string,
  expected: number,
  options: RolloutOptions,
  signal: AbortSignal,
): Promise<string | null> {
  let version = expected;
  let last: string | null = null;
  for (;;) {
    if (signal.aborted) return last;
    const job = await claimStep(deploymentId, version);
    if (!job) return last;
    const { move, extras } = await perform(job, options, signal);
    // cut off at shutdown: the interruption was recorded under a newer version, this is stale
    const status = await recordMove(job, move, extras);
    if (status === null) return last;
    last = status;
    version = job.stepVersion + 1;
    const moving = status === "running" || status === "rolling_back";
    // the moves due now go on even while the worker stops (its grace period bounds them)
    if (moving && IMMEDIATE.has(move.to)) continue;
    if (moving && move.to === "analyse_again" && !options.stopping?.()) {
      const delay = Math.max(0, move.at.getTime() - Date.now());
      const v = version;
      setTimeout(() => {
        if (options.stopping?.()) return;
        void advanceRollout(deploymentId, v, options).catch((e: unknown) =>
          console.error(`rollout ${deploymentId}: ${(e as Error).message}`),
        );
      }, delay).unref();
    }
    return last;
  }
}
