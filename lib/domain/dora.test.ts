import { describe, expect, it } from "vitest";
import {
  bandOf,
  classify,
  computeDora,
  isHotfixRelease,
  percentile,
  monthStart,
  targetMet,
  trendUnitOf,
  weekStart,
  weeks,
  type DoraDeployment,
} from "./dora";

const H = 3600_000;
const T0 = new Date("2026-03-02T00:00:00Z"); // a Monday
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const WINDOW = { from: T0, to: at(7 * 24) }; // one week

let seq = 0;
function dep(partial: Partial<DoraDeployment> & { finishedAt: Date | null }): DoraDeployment {
  seq += 1;
  return {
    id: `d${String(seq).padStart(3, "0")}`,
    applicationId: "app",
    releaseId: `r${seq}`,
    status: "succeeded",
    kind: "promotion",
    rollbackOfId: null,
    changeAt: at(-2),
    hotfix: false,
    ...partial,
  };
}

describe("isHotfixRelease", () => {
  it("reads hotfix, hot-fix and Hotfix as words in the title or version", () => {
    expect(isHotfixRelease({ title: "Hotfix: checkout total", version: "1.2.3" })).toBe(true);
    expect(isHotfixRelease({ title: "Fix totals", version: "1.2.4-hot-fix" })).toBe(true);
    expect(isHotfixRelease({ title: "HOTFIX", version: "1" })).toBe(true);
    expect(isHotfixRelease({ title: "Hotfixes landing page", version: "1" })).toBe(false);
    expect(isHotfixRelease({ title: "photfix", version: "1" })).toBe(false);
    expect(isHotfixRelease({ title: "Regular release", version: "2.0.0" })).toBe(false);
  });
});

describe("percentile", () => {
  it("interpolates like percentile_cont", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 0, 20, 30, 40, 50, 60, 70, 80, 90], 0.9)).toBeCloseTo(81);
  });
});

describe("computeDora", () => {
  it("gives zeros and nulls for an empty history", () => {
    const { summary, trend, unit } = computeDora([], WINDOW);
    expect(summary).toMatchObject({
      deployments: 0,
      perDay: 0,
      perWeek: 0,
      leadTimeMedian: null,
      changeFailureRate: null,
      recoveryMedian: null,
      openFailures: 0,
      reworkRate: null,
    });
    expect(unit).toBe("week");
    expect(trend).toHaveLength(1);
    expect(trend[0]!.start).toEqual(T0);
  });

  it("counts successes per day and week, and lead time from commit (else creation) to the first success", () => {
    const history = [
      dep({ finishedAt: at(1), releaseId: "a", changeAt: at(0) }), // lead 1 h
      dep({ finishedAt: at(30), releaseId: "a", changeAt: at(0) }), // same release again: no lead time
      dep({ finishedAt: at(50), releaseId: "b", changeAt: at(47) }), // lead 3 h
      dep({ finishedAt: at(60), releaseId: "c", changeAt: at(50) }), // lead 10 h
      dep({ finishedAt: at(-10), releaseId: "d", changeAt: at(-20) }), // before the window
      dep({ finishedAt: at(5), releaseId: "d", changeAt: at(-20) }), // d's first success was before: no lead
    ];
    const { summary } = computeDora(history, WINDOW);
    expect(summary.successes).toBe(5);
    expect(summary.perWeek).toBeCloseTo(5);
    expect(summary.perDay).toBeCloseTo(5 / 7);
    expect(summary.leadTimeCount).toBe(3);
    expect(summary.leadTimeMedian).toBe(3 * 3600);
    expect(summary.leadTimeP90).toBeCloseTo((3 + 0.8 * 7) * 3600);
  });

  it("leaves cancelled and unfinished deployments out of every figure", () => {
    const history = [
      dep({ finishedAt: at(1) }),
      dep({ finishedAt: at(2), status: "cancelled" }),
      dep({ finishedAt: null, status: "running" }),
      dep({ finishedAt: null, status: "queued" }),
    ];
    const { summary } = computeDora(history, WINDOW);
    expect(summary.deployments).toBe(1);
    expect(summary.changeFailureRate).toBe(0);
    expect(summary.reworkRate).toBe(0);
  });

  it("counts failed, rolled-back and later-rolled-back deployments as failures, and their recovery", () => {
    const good = dep({ finishedAt: at(1) });
    const failed = dep({ finishedAt: at(10), status: "failed" }); // recovered by the rollback at 13
    const bad = dep({ finishedAt: at(12) }); // succeeded, then rolled back
    const rollback = dep({ finishedAt: at(13), kind: "rollback", rollbackOfId: bad.id, releaseId: good.releaseId });
    const rolledBack = dep({ finishedAt: at(20), status: "rolled_back" }); // recovered at 20.5
    const fix = dep({ finishedAt: at(20.5) });
    const { summary } = computeDora([good, failed, bad, rollback, rolledBack, fix], WINDOW);
    expect(summary.deployments).toBe(6);
    expect(summary.failures).toBe(3);
    expect(summary.changeFailureRate).toBe(0.5);
    // recoveries: 10→12 (bad succeeded: the next success), 12→13, 20→20.5
    expect(summary.recovered).toBe(3);
    expect(summary.recoveryMedian).toBe(3600);
    expect(summary.openFailures).toBe(0);
    expect(summary.unplanned).toBe(1);
  });

  it("treats a rolled-back rollback as a failure too, and ignores cancelled rollbacks", () => {
    const release = dep({ finishedAt: at(1) });
    const rollback = dep({ finishedAt: at(2), kind: "rollback", rollbackOfId: release.id });
    const rollbackOfRollback = dep({ finishedAt: at(3), kind: "rollback", rollbackOfId: rollback.id });
    const other = dep({ finishedAt: at(4) });
    const cancelledRollback = dep({ finishedAt: at(5), kind: "rollback", rollbackOfId: other.id, status: "cancelled" });
    const rows = classify([release, rollback, rollbackOfRollback, other, cancelledRollback]);
    expect(rows.map((r) => r.failure)).toEqual([true, true, false, false]);
    const { summary } = computeDora([release, rollback, rollbackOfRollback, other, cancelledRollback], WINDOW);
    expect(summary.changeFailureRate).toBe(0.5);
    expect(summary.reworkRate).toBe(0.5);
  });

  it("reports a failure without a later success as open, and looks for recovery per application", () => {
    const failed = dep({ finishedAt: at(100), status: "failed" });
    const otherApp = dep({ finishedAt: at(101), applicationId: "other" });
    const { summary } = computeDora([failed, otherApp], WINDOW);
    expect(summary.failures).toBe(1);
    expect(summary.openFailures).toBe(1);
    expect(summary.recoveryMedian).toBeNull();
  });

  it("finds a recovery after the window's end", () => {
    const failed = dep({ finishedAt: at(160), status: "failed" });
    const later = dep({ finishedAt: at(200) });
    const { summary } = computeDora([failed, later], WINDOW);
    expect(summary.recoveryMedian).toBe(40 * 3600);
    expect(summary.successes).toBe(0);
  });

  it("counts rollbacks and hotfix deployments as rework", () => {
    const history = [
      dep({ finishedAt: at(1) }),
      dep({ finishedAt: at(2), hotfix: true }),
      dep({ finishedAt: at(3), hotfix: true, status: "failed" }),
      dep({ finishedAt: at(4), kind: "rollback", rollbackOfId: "elsewhere" }),
    ];
    expect(computeDora(history, WINDOW).summary.reworkRate).toBe(0.75);
  });

  it("buckets by week (Monday, UTC), the first and last week cut to the window", () => {
    const window = { from: at(3 * 24), to: at(17 * 24) }; // Thursday to Thursday two weeks on
    const history = [
      dep({ finishedAt: at(4 * 24) }),
      dep({ finishedAt: at(8 * 24) }),
      dep({ finishedAt: at(16 * 24) }),
    ];
    const { trend, summary } = computeDora(history, window);
    expect(trend.map((w) => w.start.toISOString())).toEqual([
      "2026-03-02T00:00:00.000Z",
      "2026-03-09T00:00:00.000Z",
      "2026-03-16T00:00:00.000Z",
    ]);
    expect(trend.map((w) => w.successes)).toEqual([1, 1, 1]);
    expect(summary.successes).toBe(3);
    expect(weeks(window)[0]!.from).toEqual(window.from);
  });
});

describe("trends over long windows", () => {
  it("buckets by month (the 1st, UTC) past 26 weeks, the first and last month cut to the window", () => {
    const window = { from: new Date("2025-11-15T00:00:00Z"), to: new Date("2026-06-10T00:00:00Z") };
    expect(trendUnitOf({ from: window.from, to: new Date(window.from.getTime() + 182 * 24 * H) })).toBe("week");
    expect(trendUnitOf(window)).toBe("month");
    const history = [
      dep({ finishedAt: new Date("2025-11-20T10:00:00Z") }),
      dep({ finishedAt: new Date("2025-11-30T23:59:59Z") }),
      dep({ finishedAt: new Date("2025-12-01T00:00:00Z") }),
      dep({ finishedAt: new Date("2026-06-09T12:00:00Z") }),
    ];
    const { trend, unit, summary } = computeDora(history, window);
    expect(unit).toBe("month");
    expect(trend.map((b) => b.start.toISOString().slice(0, 10))).toEqual([
      "2025-11-01",
      "2025-12-01",
      "2026-01-01",
      "2026-02-01",
      "2026-03-01",
      "2026-04-01",
      "2026-05-01",
      "2026-06-01",
    ]);
    expect(trend.map((b) => b.successes)).toEqual([2, 1, 0, 0, 0, 0, 0, 1]);
    expect(summary.successes).toBe(4);
    // a bucket's rate is over its days in the window: 2 successes in Nov 15–30 (16 days)
    expect(trend[0]!.perDay).toBeCloseTo(2 / 16, 6);
  });

  it("finds the month's first day in UTC", () => {
    expect(monthStart(new Date("2026-03-31T23:59:59Z")).toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(monthStart(new Date("2026-01-01T00:00:00Z")).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("weekStart", () => {
  it("goes back to Monday 00:00 UTC", () => {
    expect(weekStart(new Date("2026-03-08T23:59:00Z")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(weekStart(new Date("2026-03-09T00:00:00Z")).toISOString()).toBe("2026-03-09T00:00:00.000Z");
  });
});

describe("bandOf", () => {
  it("places values in the 2023 clusters", () => {
    expect(bandOf("deployment_frequency", 3)).toBe("elite");
    expect(bandOf("deployment_frequency", 0.5)).toBe("high");
    expect(bandOf("deployment_frequency", 0.05)).toBe("medium");
    expect(bandOf("deployment_frequency", 0.01)).toBe("low");
    expect(bandOf("lead_time", 3600)).toBe("elite");
    expect(bandOf("lead_time", 2 * 86400)).toBe("high");
    expect(bandOf("lead_time", 10 * 86400)).toBe("medium");
    expect(bandOf("lead_time", 40 * 86400)).toBe("low");
    expect(bandOf("change_failure_rate", 0.05)).toBe("elite");
    expect(bandOf("change_failure_rate", 0.1)).toBe("high");
    expect(bandOf("change_failure_rate", 0.15)).toBe("medium");
    expect(bandOf("change_failure_rate", 0.3)).toBe("low");
    expect(bandOf("recovery_time", 1800)).toBe("elite");
    expect(bandOf("recovery_time", 3600)).toBe("high");
    expect(bandOf("recovery_time", 86400)).toBe("medium");
    expect(bandOf("recovery_time", 7 * 86400)).toBe("low");
  });
  it("has no band for rework rate or a missing value", () => {
    expect(bandOf("rework_rate", 0.1)).toBeNull();
    expect(bandOf("lead_time", null)).toBeNull();
  });
});

describe("targetMet", () => {
  it("wants frequency at or above the target and the rest below", () => {
    expect(targetMet("deployment_frequency", 2, 2)).toBe(true);
    expect(targetMet("deployment_frequency", 1.5, 2)).toBe(false);
    expect(targetMet("lead_time", 7000, 7200)).toBe(true);
    expect(targetMet("change_failure_rate", 0.15, 0.15)).toBe(false);
    expect(targetMet("recovery_time", null, 3600)).toBeNull();
  });
});
