// DORA's five software delivery metrics, computed from Greenlight's own deployments. This file is
// the specification: lib/data/metrics computes the same figures in SQL and its integration test
// checks both agree. Definitions (for one environment, one or all applications, a window
// [from, to) of finish times):
//  - a deployment "finished" when it succeeded, failed or was rolled back. Cancelled ones never
//    changed anything and count nowhere; queued/running/paused/rolling-back ones not yet;
//  - deployment frequency: successful deployments finished in the window, per day and per week;
//  - change lead time: for the first success of each release in the environment (finish time,
//    then id), from the release's commitAt (else createdAt) to that finish; median and p90;
//  - change failure rate: finished deployments that failed, were rolled back (status
//    rolled_back) or were followed by a rollback (a rollback deployment, not cancelled, whose
//    rollbackOfId points at it — so a rollback that is itself rolled back is a failure too),
//    ÷ finished deployments (rollback deployments included: they are deployments too);
//  - failed deployment recovery time: from a failure's finish to the next successful
//    deployment of that application in that environment finishing strictly later (which may
//    lie after the window); median; failures with none yet are counted as open;
//  - rework rate: unplanned deployments (rollbacks, and deployments of hotfix releases) ÷
//    finished deployments.
// Medians and p90 interpolate between neighbours like PostgreSQL's percentile_cont.

export type DoraStatus =
  "queued" | "running" | "paused" | "rolling_back" | "succeeded" | "failed" | "rolled_back" | "cancelled";

export interface DoraDeployment {
  id: string;
  applicationId: string;
  releaseId: string;
  status: DoraStatus;
  kind: "promotion" | "rollback";
  rollbackOfId: string | null;
  finishedAt: Date | null;
  /** the release's commitAt, else its createdAt */
  changeAt: Date;
  /** the release is a hotfix (isHotfixRelease) */
  hotfix: boolean;
}

export interface DoraWindow {
  from: Date;
  to: Date;
}

export interface DoraFigures {
  /** finished deployments (succeeded, failed, rolled back) */
  deployments: number;
  successes: number;
  failures: number;
  unplanned: number;
  perDay: number;
  perWeek: number;
  /** seconds; null without a first success in the window */
  leadTimeMedian: number | null;
  leadTimeP90: number | null;
  leadTimeCount: number;
  /** failures ÷ deployments; null without deployments */
  changeFailureRate: number | null;
  /** seconds; null when no failure has recovered */
  recoveryMedian: number | null;
  recovered: number;
  /** failures with no later success yet */
  openFailures: number;
  reworkRate: number | null;
}

/** One bar of a trend: the figures of one week or one month (cut to the window). */
export interface DoraBucket extends DoraFigures {
  /** Monday 00:00 UTC of the week, or the 1st 00:00 UTC of the month */
  start: Date;
}

/** A trend is read by week, or by month when the window is longer than 26 weeks. */
export type TrendUnit = "week" | "month";
export const WEEKLY_UP_TO_DAYS = 182;

/** How a deployment counts, for the drill-down lists and the CSV file. */
export interface DoraClassified {
  deployment: DoraDeployment;
  finishedAt: Date;
  /** the first success of its release in the environment */
  firstSuccess: boolean;
  /** seconds from change to this deployment's finish, for a first success */
  leadTime: number | null;
  failure: boolean;
  /** the next success's finish, for a failure that recovered */
  recoveredAt: Date | null;
  unplanned: boolean;
}

const DAY = 86_400_000;
export const FINISHED: readonly DoraStatus[] = ["succeeded", "failed", "rolled_back"];

const HOTFIX = /\bhot-?fix\b/i;
/** The same rule for PostgreSQL's `~*` (\y is its word boundary). */
export const HOTFIX_SQL_PATTERN = "\\yhot-?fix\\y";

/** A release is a hotfix when its title or version says so ("Hotfix: …", "2.1.1-hotfix", "hot-fix"). */
export function isHotfixRelease(release: { title: string; version: string }): boolean {
  return HOTFIX.test(release.title) || HOTFIX.test(release.version);
}

/** percentile_cont: linear interpolation between the closest ranks. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function byFinish(a: { finishedAt: Date; id: string }, b: { finishedAt: Date; id: string }): number {
  return a.finishedAt.getTime() - b.finishedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Every finished deployment of the history (one environment), classified. `history` should hold
 * the whole history, not only the window: first successes and recoveries look outside it.
 */
export function classify(history: DoraDeployment[]): DoraClassified[] {
  const finished = history
    .filter((d): d is DoraDeployment & { finishedAt: Date } => FINISHED.includes(d.status) && d.finishedAt !== null)
    .sort(byFinish);
  const rolledBack = new Set(
    history
      .filter((d) => d.kind === "rollback" && d.status !== "cancelled" && d.rollbackOfId)
      .map((d) => d.rollbackOfId),
  );
  const firstSuccessOf = new Map<string, string>();
  for (const d of finished)
    if (d.status === "succeeded" && !firstSuccessOf.has(d.releaseId)) firstSuccessOf.set(d.releaseId, d.id);
  return finished.map((d) => {
    const firstSuccess = firstSuccessOf.get(d.releaseId) === d.id;
    const failure = d.status !== "succeeded" || rolledBack.has(d.id);
    const next = failure
      ? finished.find(
          (n) => n.applicationId === d.applicationId && n.status === "succeeded" && n.finishedAt > d.finishedAt,
        )
      : undefined;
    return {
      deployment: d,
      finishedAt: d.finishedAt,
      firstSuccess,
      leadTime: firstSuccess ? (d.finishedAt.getTime() - d.changeAt.getTime()) / 1000 : null,
      failure,
      recoveredAt: next?.finishedAt ?? null,
      unplanned: d.kind === "rollback" || d.hotfix,
    };
  });
}

function inWindow(c: DoraClassified, window: DoraWindow): boolean {
  return c.finishedAt >= window.from && c.finishedAt < window.to;
}

/** The figures of the classified deployments that finished in the window. */
export function figures(classified: DoraClassified[], window: DoraWindow): DoraFigures {
  const rows = classified.filter((c) => inWindow(c, window));
  const days = daysOf(window);
  const successes = rows.filter((c) => c.deployment.status === "succeeded").length;
  const failures = rows.filter((c) => c.failure);
  const leads = rows.flatMap((c) => (c.leadTime === null ? [] : [c.leadTime]));
  const recoveries = failures.flatMap((c) =>
    c.recoveredAt ? [(c.recoveredAt.getTime() - c.finishedAt.getTime()) / 1000] : [],
  );
  return fromAggregates(
    {
      deployments: rows.length,
      successes,
      failures: failures.length,
      unplanned: rows.filter((c) => c.unplanned).length,
      leadTimeMedian: percentile(leads, 0.5),
      leadTimeP90: percentile(leads, 0.9),
      leadTimeCount: leads.length,
      recoveryMedian: percentile(recoveries, 0.5),
      recovered: recoveries.length,
    },
    days,
  );
}

/** What a set-based computation aggregates (counts and percentiles); the rest follows from them. */
export type DoraAggregates = Pick<
  DoraFigures,
  | "deployments"
  | "successes"
  | "failures"
  | "unplanned"
  | "leadTimeMedian"
  | "leadTimeP90"
  | "leadTimeCount"
  | "recoveryMedian"
  | "recovered"
>;

export const NO_AGGREGATES: DoraAggregates = {
  deployments: 0,
  successes: 0,
  failures: 0,
  unplanned: 0,
  leadTimeMedian: null,
  leadTimeP90: null,
  leadTimeCount: 0,
  recoveryMedian: null,
  recovered: 0,
};

/** The figures from the aggregates over a window of `days` days: rates and ratios. */
export function fromAggregates(a: DoraAggregates, days: number): DoraFigures {
  const ratio = (n: number) => (a.deployments ? n / a.deployments : null);
  return {
    ...a,
    perDay: days > 0 ? a.successes / days : 0,
    perWeek: days > 0 ? (a.successes / days) * 7 : 0,
    changeFailureRate: ratio(a.failures),
    openFailures: a.failures - a.recovered,
    reworkRate: ratio(a.unplanned),
  };
}

/** The length of a window in days. */
export function daysOf(window: DoraWindow): number {
  return Math.max(window.to.getTime() - window.from.getTime(), 0) / DAY;
}

/** Monday 00:00 UTC of the week holding `at` (PostgreSQL's date_trunc('week', …)). */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY);
}

/** The 1st 00:00 UTC of the month holding `at` (date_trunc('month', …)). */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Weeks up to 26 of them (182 days); months beyond, where weekly bars would be too thin to read. */
export function trendUnitOf(window: DoraWindow): TrendUnit {
  return daysOf(window) > WEEKLY_UP_TO_DAYS ? "month" : "week";
}

export function bucketStart(at: Date, unit: TrendUnit): Date {
  return unit === "week" ? weekStart(at) : monthStart(at);
}

function nextBucket(start: Date, unit: TrendUnit): Date {
  return unit === "week"
    ? new Date(start.getTime() + 7 * DAY)
    : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The window cut into weeks (Monday to Monday) or months, the first and last cut to the window, in order. */
export function buckets(window: DoraWindow, unit: TrendUnit): DoraWindow[] {
  const out: DoraWindow[] = [];
  for (let start = bucketStart(window.from, unit); start < window.to; start = nextBucket(start, unit)) {
    const end = nextBucket(start, unit);
    out.push({ from: start < window.from ? window.from : start, to: end > window.to ? window.to : end });
  }
  return out;
}

/** The window cut into weeks. */
export function weeks(window: DoraWindow): DoraWindow[] {
  return buckets(window, "week");
}

export interface DoraReport {
  summary: DoraFigures;
  unit: TrendUnit;
  trend: DoraBucket[];
}

/** The whole report for one environment's history over a window. */
export function computeDora(history: DoraDeployment[], window: DoraWindow): DoraReport {
  const classified = classify(history);
  const unit = trendUnitOf(window);
  return {
    summary: figures(classified, window),
    unit,
    trend: buckets(window, unit).map((w) => ({ start: bucketStart(w.from, unit), ...figures(classified, w) })),
  };
}

// ---- performance levels ----

export type Band = "elite" | "high" | "medium" | "low";
export type DoraMetric = "deployment_frequency" | "lead_time" | "change_failure_rate" | "recovery_time" | "rework_rate";

export const METRIC_LABEL: Record<DoraMetric, string> = {
  deployment_frequency: "Deployment frequency",
  lead_time: "Change lead time",
  change_failure_rate: "Change failure rate",
  recovery_time: "Failed deployment recovery time",
  rework_rate: "Deployment rework rate",
};

const HOUR = 3600;

/**
 * The performance levels, from the 2023 Accelerate State of DevOps report (DORA, Google
 * Cloud), its four clusters. Each row: the band a value falls in when it is at most (or, for
 * frequency, at least) the bound. Rework rate was introduced in the 2024 report without
 * published clusters: no band.
 */
export const BAND_SOURCE = "2023 Accelerate State of DevOps report (DORA) performance clusters";
export const BANDS = {
  // successes per day: elite on demand (several a day), high daily to weekly, medium weekly to
  // monthly, low monthly or less
  deployment_frequency: {
    better: "higher",
    rows: [
      ["elite", 1],
      ["high", 1 / 7],
      ["medium", 1 / 30],
      ["low", 0],
    ],
  },
  // seconds: elite < 1 day, high < 1 week, medium < 1 month, low beyond
  lead_time: {
    better: "lower",
    rows: [
      ["elite", 24 * HOUR],
      ["high", 7 * 24 * HOUR],
      ["medium", 30 * 24 * HOUR],
      ["low", Infinity],
    ],
  },
  // ratio: elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %, low above
  change_failure_rate: {
    better: "lower",
    rows: [
      ["elite", 0.05],
      ["high", 0.1],
      ["medium", 0.15],
      ["low", Infinity],
    ],
  },
  // seconds: elite < 1 hour, high < 1 day, medium < 1 week, low beyond
  recovery_time: {
    better: "lower",
    rows: [
      ["elite", HOUR],
      ["high", 24 * HOUR],
      ["medium", 7 * 24 * HOUR],
      ["low", Infinity],
    ],
  },
} as const satisfies Partial<
  Record<DoraMetric, { better: "higher" | "lower"; rows: readonly (readonly [Band, number])[] }>
>;

/** Where a value stands, or null (no value, or no published band for the metric). */
export function bandOf(metric: DoraMetric, value: number | null): Band | null {
  if (value === null || metric === "rework_rate") return null;
  const { better, rows } = BANDS[metric];
  for (const [band, bound] of rows) {
    if (better === "higher" ? value >= bound : metric === "change_failure_rate" ? value <= bound : value < bound)
      return band;
  }
  return "low";
}

// ---- a team's own targets ----

/** Units: frequency per week (at least), lead and recovery seconds (below), rates as ratios (below). */
export interface DoraTargetValue {
  metric: DoraMetric;
  value: number;
  /** where the target comes from, e.g. "Seed 004, Metrics and KPIs" */
  source: string;
}

/** The value a metric is judged by against targets (frequency: per week). */
export function targetValueOf(metric: DoraMetric, f: DoraFigures): number | null {
  switch (metric) {
    case "deployment_frequency":
      return f.perWeek;
    case "lead_time":
      return f.leadTimeMedian;
    case "change_failure_rate":
      return f.changeFailureRate;
    case "recovery_time":
      return f.recoveryMedian;
    case "rework_rate":
      return f.reworkRate;
  }
}

/** met / missed, or null with nothing to judge. Frequency must reach the target, the rest stay below it. */
export function targetMet(metric: DoraMetric, value: number | null, target: number): boolean | null {
  if (value === null) return null;
  return metric === "deployment_frequency" ? value >= target : value < target;
}

export const DORA_METRICS: DoraMetric[] = [
  "deployment_frequency",
  "lead_time",
  "change_failure_rate",
  "recovery_time",
  "rework_rate",
];
