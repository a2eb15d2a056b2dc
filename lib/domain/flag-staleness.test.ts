import { describe, expect, it } from "vitest";
import { staleReason, type StalenessFacts } from "./flag-staleness";

const now = new Date("2026-06-30T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);
const on = { enabled: true, rolloutPercent: null, rules: [] };
const off = { enabled: false, rolloutPercent: null, rules: [] };
const facts = (f: Partial<StalenessFacts>): StalenessFacts => ({
  createdAt: daysAgo(100),
  states: [on, off],
  lastEvaluatedAt: daysAgo(1),
  ...f,
});

describe("staleReason", () => {
  it("marks a flag on for everyone in every environment, however recently evaluated", () => {
    expect(staleReason(facts({ states: [on, on, { ...on, rolloutPercent: 100 }] }), now, 30)).toMatch(
      /On for everyone in every environment: time to remove it/,
    );
  });

  it("does not when one environment is off, missing, on for a share or has rules", () => {
    for (const other of [
      off,
      null,
      { ...on, rolloutPercent: 99 },
      { ...on, rules: [{ attribute: "country", operator: "in" as const, values: ["FR"] }] },
    ])
      expect(staleReason(facts({ states: [on, other] }), now, 30)).toBeNull();
    // no environment at all is not "on everywhere"
    expect(staleReason(facts({ states: [] }), now, 30)).toBeNull();
  });

  it("marks a flag no environment evaluated for N days, with the last day", () => {
    expect(staleReason(facts({ lastEvaluatedAt: daysAgo(31) }), now, 30)).toBe(
      "Not evaluated in any environment for 30 days (last on 2026-05-30)",
    );
    expect(staleReason(facts({ lastEvaluatedAt: daysAgo(29) }), now, 30)).toBeNull();
    expect(staleReason(facts({ lastEvaluatedAt: daysAgo(8) }), now, 7)).toMatch(/for 7 days/);
    expect(staleReason(facts({ lastEvaluatedAt: daysAgo(2) }), now, 1)).toMatch(/for 1 day /);
  });

  it("marks a never-evaluated flag only once it is older than N days", () => {
    expect(staleReason(facts({ lastEvaluatedAt: null, createdAt: daysAgo(31) }), now, 30)).toBe(
      "Never evaluated, and created more than 30 days ago",
    );
    expect(staleReason(facts({ lastEvaluatedAt: null, createdAt: daysAgo(3) }), now, 30)).toBeNull();
  });
});
