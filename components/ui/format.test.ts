import { describe, expect, it } from "vitest";
import {
  clockTime,
  formatAbsolute,
  formatCount,
  formatDuration,
  formatRelative,
  shortSha,
  weekdayName,
} from "./format";
import { pageRange, pageSlots } from "./pagination-model";

const now = new Date("2026-03-10T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("formatRelative", () => {
  it.each([
    [ago(10), "just now"],
    [ago(-10), "just now"],
    [ago(5 * 60), "5 minutes ago"],
    [ago(3 * 3600), "3 hours ago"],
    [ago(26 * 3600), "yesterday"],
    [ago(3 * 86400), "3 days ago"],
    [ago(-2 * 86400), "in 2 days"],
    [ago(40 * 86400), "last month"],
  ])("%s → %s", (date, expected) => {
    expect(formatRelative(date, now)).toBe(expected);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [45_000, "45 s"],
    [200_000, "3 min 20 s"],
    [300_000, "5 min"],
    [3_900_000, "1 h 5 min"],
    [7_200_000, "2 h"],
    [183_600_000, "2 d 3 h"],
  ])("%d ms → %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe("small formats", () => {
  it("says times in UTC, counts with separators, short SHAs, weekdays and clock times", () => {
    expect(formatAbsolute(new Date("2026-03-02T09:05:00Z"))).toBe("2 Mar 2026, 09:05 UTC");
    expect(formatCount(10000)).toBe("10,000");
    expect(shortSha("4f2a9c1d0e")).toBe("4f2a9c1");
    expect(weekdayName(5)).toBe("Friday");
    expect(clockTime(16 * 60 + 5)).toBe("16:05");
  });
});

describe("pageSlots", () => {
  const show = (page: number, count: number) => pageSlots(page, count).map((s) => (s.kind === "page" ? s.page : "…"));
  it.each([
    [1, 1, [1]],
    [1, 5, [1, 2, 3, 4, 5]],
    [1, 400, [1, 2, 3, 4, "…", 400]],
    [5, 400, [1, "…", 4, 5, 6, "…", 400]],
    [4, 400, [1, 2, 3, 4, 5, "…", 400]],
    [400, 400, [1, "…", 397, 398, 399, 400]],
    [398, 400, [1, "…", 397, 398, 399, 400]],
  ])("page %d of %d → %j", (page, count, expected) => {
    expect(show(page, count)).toEqual(expected);
  });
});

describe("pageRange", () => {
  it.each([
    [2, 25, 10_000, { first: 26, last: 50 }],
    [3, 25, 60, { first: 51, last: 60 }],
    [1, 25, 0, { first: 0, last: 0 }],
  ])("page %d × %d of %d", (page, size, total, expected) => {
    expect(pageRange(page, size, total)).toEqual(expected);
  });
});
