// One health round of a rollout: every configured check measured once, over real HTTP, and the
// round's outcome. HTTP probes ask the service itself; Prometheus checks ask Prometheus's HTTP
// API (/api/v1/query) and compare the answer with the check's threshold. The caller (the rollout
// job) stores the returned state and hands it back next round: it counts the failed probes in
// a row, so a probe that fails once within its allowance does not fail the rollout.
//
// Faults are outcomes, never exceptions: a hanging or refusing service is a failed probe (the
// release may be what broke it); Prometheus down, an HTTP error, a refused query or no data is
// inconclusive (nobody can tell, so a person decides). Only the caller's own signal aborting
// the round rejects, with that signal's reason: nothing was measured and nothing is recorded.

import {
  breaches,
  combineOutcomes,
  resolveCheckUrl,
  renderQuery,
  type HealthCheck,
  type HealthMeasurement,
  type HealthOutcome,
  type HealthRoundState,
  type HttpHealthCheck,
  type PrometheusHealthCheck,
} from "../domain/health-checks";
import type { DeployColor } from "./provider";

export interface HealthRoundContext {
  /** the application's key, as {{application}} in queries */
  application: string | { key: string };
  /** the environment's key ({{environment}}) and URL (what HTTP check paths resolve against, without baseUrl) */
  environment: { key: string; url?: string | null };
  /**
   * What HTTP check paths resolve against instead of the environment's URL: the service URL
   * the deploy provider reported, or the idle colour's URL for a smoke check.
   */
  baseUrl?: string | null;
  /** the colour being watched ({{color}}); absent in a direct deploy */
  color?: DeployColor | null;
  /** aborted when the deployment is cancelled or the worker shuts down */
  signal: AbortSignal;
  /** for tests that need another client; Node's fetch otherwise */
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface HealthRound {
  outcome: HealthOutcome;
  measurements: HealthMeasurement[];
  /** to store and pass to the next round */
  state: HealthRoundState;
}

const MAX_MESSAGE = 300;

/** Measures every check once, in parallel. No checks at all is an inconclusive round. */
export async function runHealthRound(
  checks: readonly HealthCheck[],
  ctx: HealthRoundContext,
  state: HealthRoundState = { failuresInARow: {} },
): Promise<HealthRound> {
  ctx.signal.throwIfAborted();
  const next: HealthRoundState = { failuresInARow: {} };
  const measurements = await Promise.all(
    checks.map(async (check) => {
      if (check.kind === "prometheus") return measurePrometheus(check, ctx);
      const { measurement, failuresInARow } = await probe(check, ctx, state.failuresInARow[check.name] ?? 0);
      next.failuresInARow[check.name] = failuresInARow;
      return measurement;
    }),
  );
  ctx.signal.throwIfAborted();
  return { outcome: combineOutcomes(measurements), measurements, state: next };
}

// ─── HTTP probes ──────────────────────────────────────────────────────────────────────────────

async function probe(
  check: HttpHealthCheck,
  ctx: HealthRoundContext,
  failedBefore: number,
): Promise<{ measurement: HealthMeasurement; failuresInARow: number }> {
  const at = (ctx.now?.() ?? new Date()).toISOString();
  const measured = (value: number | null, outcome: HealthOutcome, message: string): HealthMeasurement => ({
    check: check.name,
    kind: "http",
    value,
    outcome,
    message: clip(message),
    at,
  });
  const target = resolveCheckUrl(check.url, ctx.baseUrl ?? ctx.environment.url);
  // a check that cannot be made says nothing about the release: keep the count as it was
  if (!target.ok)
    return { measurement: measured(null, "inconclusive", capitalise(target.message)), failuresInARow: failedBefore };

  const failed = (value: number | null, why: string) => {
    const inARow = failedBefore + 1;
    const over = inARow > check.failuresAllowed;
    const tally = `${inARow} failed probe${inARow === 1 ? "" : "s"} in a row, ${check.failuresAllowed} allowed`;
    return {
      measurement: measured(value, over ? "failure" : "success", `${why} (${tally}${over ? "" : ": tolerated"})`),
      failuresInARow: inARow,
    };
  };

  const started = performance.now();
  const attempt = await request(ctx, check.timeoutSeconds, target.url, { redirect: "manual" });
  if (!attempt.ok) return failed(null, `GET ${target.url} ${attempt.problem}`);
  const seconds = (performance.now() - started) / 1000;
  await attempt.response.body?.cancel().catch(() => undefined);
  const { status } = attempt.response;
  if (status !== check.expectedStatus)
    return failed(seconds, `GET ${target.url} answered ${status}, expected ${check.expectedStatus}`);
  return {
    measurement: measured(
      seconds,
      "success",
      `GET ${target.url} answered ${status} in ${Math.round(seconds * 1000)} ms`,
    ),
    failuresInARow: 0,
  };
}

// ─── Prometheus queries ───────────────────────────────────────────────────────────────────────

interface PrometheusAnswer {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

async function measurePrometheus(check: PrometheusHealthCheck, ctx: HealthRoundContext): Promise<HealthMeasurement> {
  const at = (ctx.now?.() ?? new Date()).toISOString();
  const measured = (value: number | null, outcome: HealthOutcome, message: string): HealthMeasurement => ({
    check: check.name,
    kind: "prometheus",
    value,
    outcome,
    message: clip(message),
    at,
  });
  const inconclusive = (message: string) => measured(null, "inconclusive", message);

  const query = renderQuery(check.query, {
    application: typeof ctx.application === "string" ? ctx.application : ctx.application.key,
    environment: ctx.environment.key,
    color: ctx.color ?? null,
  });
  if (!query.ok) return inconclusive(capitalise(query.message));

  const endpoint = `${check.serverUrl.replace(/\/+$/, "")}/api/v1/query`;
  const attempt = await request(ctx, check.timeoutSeconds, endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ query: query.query }).toString(),
  });
  if (!attempt.ok) return inconclusive(`Prometheus at ${check.serverUrl} ${attempt.problem}`);
  const { response } = attempt;
  let answer: PrometheusAnswer;
  try {
    answer = (await response.json()) as PrometheusAnswer;
  } catch {
    ctx.signal.throwIfAborted();
    if (attempt.timedOut())
      return inconclusive(`Prometheus at ${check.serverUrl} did not answer within ${check.timeoutSeconds} s`);
    return inconclusive(`Prometheus at ${check.serverUrl} answered HTTP ${response.status} without a JSON body`);
  }
  // a refused query comes back as HTTP 400/422 with status "error": its reason is the message
  if (answer?.status === "error")
    return inconclusive(
      `Prometheus refused the query (${asText(answer.errorType, "error")}): ${asText(answer.error, "no reason given")}`,
    );
  if (!response.ok || answer?.status !== "success")
    return inconclusive(`Prometheus at ${check.serverUrl} answered HTTP ${response.status}`);

  const sample = firstSample(answer.data);
  if (typeof sample === "string") return inconclusive(sample);
  if (Number.isNaN(sample))
    return inconclusive("The query returned NaN: nothing to measure yet (no requests in the window?)");
  const breach = breaches(sample, check.comparator, check.threshold);
  const shown = `${formatValue(sample)} ${check.comparator} ${formatValue(check.threshold)}`;
  return breach
    ? measured(sample, check.onBreach, `${check.name}: ${shown}, the threshold is breached`)
    : measured(
        sample,
        "success",
        `${check.name}: ${formatValue(sample)}, within the threshold (breached when ${check.comparator} ${formatValue(check.threshold)})`,
      );
}

/** The value of the first sample of an instant vector or a scalar, or a sentence saying why there is none. */
function firstSample(data: PrometheusAnswer["data"]): number | string {
  const parse = (pair: unknown): number | string => {
    if (!Array.isArray(pair) || typeof pair[1] !== "string") return "Prometheus answered a sample without a value";
    // Prometheus writes NaN and ±Inf as strings too; Number() reads "+Inf" and "-Inf"
    const value = pair[1] === "NaN" ? NaN : Number(pair[1].replace(/^\+?Inf$/, "Infinity"));
    return pair[1] !== "NaN" && Number.isNaN(value) ? `Prometheus answered "${pair[1]}", not a number` : value;
  };
  if (data?.resultType === "scalar") return parse(data.result);
  if (data?.resultType === "vector") {
    if (!Array.isArray(data.result) || data.result.length === 0) return "The query returned no data";
    return parse((data.result[0] as { value?: unknown }).value);
  }
  return `The query must return an instant vector or a scalar, not ${JSON.stringify(data?.resultType ?? "nothing")}`;
}

// ─── the HTTP client ──────────────────────────────────────────────────────────────────────────

/**
 * One request bounded by `timeoutSeconds` and the caller's signal. A fault is a phrase to follow
 * the URL ("did not answer within 5 s"); the caller's own abort rejects with its reason.
 */
async function request(
  ctx: HealthRoundContext,
  timeoutSeconds: number,
  url: string,
  init: RequestInit,
): Promise<{ ok: true; response: Response; timedOut: () => boolean } | { ok: false; problem: string }> {
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const response = await (ctx.fetch ?? fetch)(url, {
      ...init,
      signal,
      cache: "no-store",
      headers: { "user-agent": "Greenlight health check", ...init.headers },
    });
    return { ok: true, response, timedOut: () => timeout.aborted };
  } catch (error) {
    ctx.signal.throwIfAborted();
    if (timeout.aborted) return { ok: false, problem: `did not answer within ${timeoutSeconds} s` };
    return { ok: false, problem: `could not be reached: ${cause(error)}` };
  }
}

/** The useful part of a fetch failure: Node wraps the socket's error ("ECONNREFUSED") in a TypeError. */
function cause(error: unknown): string {
  const inner = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (inner && typeof inner.code === "string") return inner.code;
  if (inner && typeof inner.message === "string") return inner.message;
  return error instanceof Error ? error.message : String(error);
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);
const asText = (value: unknown, fallback: string) => (typeof value === "string" && value ? value : fallback);
