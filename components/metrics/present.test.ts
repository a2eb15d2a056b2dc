import { describe, expect, it } from "vitest";
import { chartValue, csvHref, formatMetric, formatTarget, metricsQuery, queryOf, queryOfShown } from "./present";
import { fromAggregates, NO_AGGREGATES } from "@/lib/domain/dora";

describe("metrics URLs", () => {
  it("links back to what a read answered: its days only for a custom range", () => {
    const window = { from: new Date(0), to: new Date(0), fromDay: "2026-01-01", toDay: "2026-01-31" };
    const environment = { key: "production" };
    expect(queryOfShown({ environment, application: null, window: { ...window, range: "custom" } })).toEqual({
      environment: "production",
      application: undefined,
      range: "custom",
      from: "2026-01-01",
      to: "2026-01-31",
    });
    expect(queryOfShown({ environment, application: { key: "shop" }, window: { ...window, range: "30" } })).toEqual({
      environment: "production",
      application: "shop",
      range: "30",
    });
  });

  it("keeps a preset range, and dates only with a custom range", () => {
    expect(metricsQuery({ environment: "production", range: "7" })).toBe("?environment=production&range=7");
    expect(metricsQuery({ from: "2026-01-01", to: "2026-01-31" })).toBe("?range=custom&from=2026-01-01&to=2026-01-31");
    expect(csvHref({ application: "shop" })).toBe("/api/v1/metrics?application=shop&format=csv");
  });
  it("reads the URL: empty fields are absent, a preset range drops stale dates", () => {
    expect(queryOf({ environment: "", range: "7", from: "2026-01-01", to: "2026-01-02" })).toEqual({
      environment: undefined,
      application: undefined,
      range: "7",
    });
    expect(queryOf({ from: "2026-01-01", to: ["2026-01-02", "x"] })).toMatchObject({
      from: "2026-01-01",
      to: "2026-01-02",
    });
  });
});

describe("metric values", () => {
  it("reads as people write them", () => {
    expect(formatMetric("deployment_frequency", 2)).toBe("2.0 a week");
    expect(formatMetric("lead_time", 5400)).toBe("1 h 30 min");
    expect(formatMetric("change_failure_rate", 1 / 3)).toBe("33 %");
    expect(formatMetric("rework_rate", 0.025)).toBe("2.5 %");
    expect(formatMetric("recovery_time", null)).toBe("No data");
    expect(formatTarget("lead_time", 7200)).toBe("below 2 h");
    expect(formatTarget("deployment_frequency", 2)).toBe("at least 2.0 a week");
  });
  it("charts successes, hours and percentages", () => {
    const f = fromAggregates({ ...NO_AGGREGATES, deployments: 4, successes: 3, failures: 1, leadTimeMedian: 5400 }, 7);
    expect(chartValue("deployment_frequency", f)).toBe(3);
    expect(chartValue("lead_time", f)).toBe(1.5);
    expect(chartValue("change_failure_rate", f)).toBe(25);
    expect(chartValue("recovery_time", f)).toBeNull();
  });
});
