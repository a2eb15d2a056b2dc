import type { MeasurementView } from "@/lib/data/deployments/view";

// The health chart's data: one series per check, in time order, each point carrying its
// outcome. Checks measure different things (an error ratio, a latency, a status code), so each
// gets a chart of its own on a shared time axis rather than one axis for numbers that do not
// compare. A check that reports no values (a probe that only passes or fails) is drawn on an
// outcome scale instead. Pure, so it is tested without a chart.

export type Outcome = MeasurementView["outcome"];

/** Where an outcome sits on the scale of a check without values. */
export const OUTCOME_LEVEL: Record<Outcome, number> = { failure: 0, inconclusive: 1, success: 2 };
export const OUTCOME_LABEL: Record<Outcome, string> = {
  success: "Success",
  failure: "Failure",
  inconclusive: "Inconclusive",
};

export interface HealthPoint {
  /** epoch milliseconds */
  t: number;
  y: number;
  outcome: Outcome;
  step: number;
  message: string;
}

export interface HealthSeries {
  check: string;
  kind: string;
  /** "value": y is the measured value; "outcome": y is OUTCOME_LEVEL (no values were reported) */
  scale: "value" | "outcome";
  points: HealthPoint[];
  /** measurements of a value series that came without a value (listed in the table only) */
  withoutValue: number;
  counts: Record<Outcome, number>;
}

export function healthSeries(measurements: readonly MeasurementView[]): HealthSeries[] {
  const byCheck = new Map<string, MeasurementView[]>();
  for (const m of measurements) {
    const list = byCheck.get(m.check);
    if (list) list.push(m);
    else byCheck.set(m.check, [m]);
  }
  return [...byCheck.entries()].map(([check, list]) => {
    const sorted = [...list].sort((a, b) => a.at.getTime() - b.at.getTime());
    const hasValues = sorted.some((m) => m.value !== null && Number.isFinite(m.value));
    const counts: Record<Outcome, number> = { success: 0, failure: 0, inconclusive: 0 };
    const points: HealthPoint[] = [];
    let withoutValue = 0;
    for (const m of sorted) {
      counts[m.outcome] += 1;
      const value = m.value !== null && Number.isFinite(m.value) ? m.value : null;
      if (hasValues && value === null) {
        withoutValue += 1;
        continue;
      }
      points.push({
        t: m.at.getTime(),
        y: hasValues && value !== null ? value : OUTCOME_LEVEL[m.outcome],
        outcome: m.outcome,
        step: m.step,
        message: m.message,
      });
    }
    return { check, kind: sorted[0]?.kind ?? "", scale: hasValues ? "value" : "outcome", points, withoutValue, counts };
  });
}

/** The time axis every series shares: first to last measurement, never a zero-width domain. */
export function timeDomain(series: readonly HealthSeries[]): [number, number] | null {
  const times = series.flatMap((s) => s.points.map((p) => p.t));
  if (times.length === 0) return null;
  const min = Math.min(...times);
  const max = Math.max(...times);
  return max > min ? [min, max] : [min - 30_000, max + 30_000];
}

/** "12:04:31", in UTC like the log's clock. */
export const clockOf = (t: number) => new Date(t).toISOString().slice(11, 19);

/** "3 successes, 1 failure" for a check, left out where zero. */
export function countsText(counts: Record<Outcome, number>): string {
  const parts = [
    counts.success ? `${counts.success} ${counts.success === 1 ? "success" : "successes"}` : null,
    counts.inconclusive ? `${counts.inconclusive} inconclusive` : null,
    counts.failure ? `${counts.failure} ${counts.failure === 1 ? "failure" : "failures"}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no measurements";
}
