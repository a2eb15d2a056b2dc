import { describe, expect, it } from "vitest";
import type { MeasurementView } from "@/lib/data/deployments/view";
import { countsText, healthSeries, OUTCOME_LEVEL, timeDomain } from "./health-series";

const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, s));
const m = (over: Partial<MeasurementView>): MeasurementView => ({
  at: at(0),
  step: 0,
  check: "error ratio",
  kind: "prometheus",
  value: 0.01,
  outcome: "success",
  message: "ok",
  ...over,
});

describe("healthSeries", () => {
  it("makes one series per check, in time order, each point keeping its outcome", () => {
    const series = healthSeries([
      m({ at: at(20), value: 0.09, outcome: "failure" }),
      m({ at: at(5), check: "/healthz", kind: "http", value: null, outcome: "success" }),
      m({ at: at(10), value: 0.02 }),
      m({ at: at(15), check: "/healthz", kind: "http", value: null, outcome: "inconclusive" }),
    ]);
    expect(series.map((s) => [s.check, s.scale])).toEqual([
      ["error ratio", "value"],
      ["/healthz", "outcome"],
    ]);
    expect(series[0]!.points.map((p) => [p.t, p.y, p.outcome])).toEqual([
      [at(10).getTime(), 0.02, "success"],
      [at(20).getTime(), 0.09, "failure"],
    ]);
    // a check without values is drawn on the outcome scale
    expect(series[1]!.points.map((p) => p.y)).toEqual([OUTCOME_LEVEL.success, OUTCOME_LEVEL.inconclusive]);
    expect(series[0]!.counts).toEqual({ success: 1, failure: 1, inconclusive: 0 });
  });

  it("leaves a missing value out of a value series' chart but counts it", () => {
    const [series] = healthSeries([
      m({ at: at(1) }),
      m({ at: at(2), value: null, outcome: "inconclusive", message: "no data" }),
      m({ at: at(3), value: Number.NaN, outcome: "inconclusive" }),
    ]);
    expect(series!.points).toHaveLength(1);
    expect(series!.withoutValue).toBe(2);
    expect(series!.counts.inconclusive).toBe(2);
  });

  it("gives every chart the same time axis, never zero wide", () => {
    const series = healthSeries([m({ at: at(10) }), m({ at: at(40), check: "p95" })]);
    expect(timeDomain(series)).toEqual([at(10).getTime(), at(40).getTime()]);
    expect(timeDomain(healthSeries([m({ at: at(10) })]))).toEqual([
      at(10).getTime() - 30_000,
      at(10).getTime() + 30_000,
    ]);
    expect(timeDomain([])).toBeNull();
  });
});

describe("countsText", () => {
  it("names each outcome that occurred", () => {
    expect(countsText({ success: 3, failure: 1, inconclusive: 0 })).toBe("3 successes, 1 failure");
    expect(countsText({ success: 1, failure: 0, inconclusive: 2 })).toBe("1 success, 2 inconclusive");
    expect(countsText({ success: 0, failure: 0, inconclusive: 0 })).toBe("no measurements");
  });
});
