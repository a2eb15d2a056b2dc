import { describe, expect, it } from "vitest";
import {
  activeFreeze,
  formatFreezeEnd,
  freezeOccurrence,
  instantOfWallClock,
  isValidTimeZone,
  type FreezeWindowInput,
} from "./freeze";

const PARIS = "Europe/Paris";

function weekly(weekday: number, startMinute: number, durationMinutes: number, timeZone = PARIS): FreezeWindowInput {
  return { kind: "weekly", reason: "Weekly freeze", timeZone, weekday, startMinute, durationMinutes };
}

function oneOff(startsAt: string, endsAt: string, reason = "Code freeze"): FreezeWindowInput {
  return { kind: "one_off", reason, timeZone: PARIS, startsAt: new Date(startsAt), endsAt: new Date(endsAt) };
}

/** Friday 16:00 → Monday 08:00, local time */
const weekend = weekly(5, 16 * 60, 64 * 60);

function endOf(window: FreezeWindowInput, now: string): string | null {
  return activeFreeze([window], new Date(now))?.endsAt.toISOString() ?? null;
}

describe("isValidTimeZone", () => {
  it.each([
    ["Europe/Paris", true],
    ["America/New_York", true],
    ["UTC", true],
    ["Mars/Olympus_Mons", false],
    ["", false],
    ["+02:00 or so", false],
  ])("%j → %s", (tz, expected) => {
    expect(isValidTimeZone(tz)).toBe(expected);
  });
});

describe("one-off windows", () => {
  const window = oneOff("2026-06-01T10:00:00.000Z", "2026-06-01T18:00:00.000Z");

  it.each([
    ["just before the start", "2026-06-01T09:59:59.999Z", null],
    ["at the start (inclusive)", "2026-06-01T10:00:00.000Z", "2026-06-01T18:00:00.000Z"],
    ["inside", "2026-06-01T14:00:00.000Z", "2026-06-01T18:00:00.000Z"],
    ["the last millisecond", "2026-06-01T17:59:59.999Z", "2026-06-01T18:00:00.000Z"],
    ["at the end (exclusive)", "2026-06-01T18:00:00.000Z", null],
  ])("%s", (_, now, expected) => {
    expect(endOf(window, now)).toBe(expected);
  });

  it("an empty or inverted window never freezes", () => {
    const inverted = oneOff("2026-06-01T18:00:00.000Z", "2026-06-01T10:00:00.000Z");
    const empty = oneOff("2026-06-01T10:00:00.000Z", "2026-06-01T10:00:00.000Z");
    expect(activeFreeze([inverted, empty], new Date("2026-06-01T10:00:00.000Z"))).toBeNull();
  });
});

describe("weekly windows", () => {
  it.each([
    // Thursday 22:00 → Friday 02:00 Paris (CEST, UTC+2), week of 2026-06-11
    ["crossing midnight: before", weekly(4, 22 * 60, 240), "2026-06-11T19:59:59.999Z", null],
    ["crossing midnight: start", weekly(4, 22 * 60, 240), "2026-06-11T20:00:00.000Z", "2026-06-12T00:00:00.000Z"],
    [
      "crossing midnight: after midnight",
      weekly(4, 22 * 60, 240),
      "2026-06-11T23:30:00.000Z",
      "2026-06-12T00:00:00.000Z",
    ],
    ["crossing midnight: end", weekly(4, 22 * 60, 240), "2026-06-12T00:00:00.000Z", null],
    // Saturday 20:00 → Sunday 20:00: Saturday is 6, Sunday 0
    ["crossing the week: Saturday", weekly(6, 20 * 60, 1440), "2026-06-13T18:00:00.000Z", "2026-06-14T18:00:00.000Z"],
    ["crossing the week: Sunday", weekly(6, 20 * 60, 1440), "2026-06-14T17:59:59.999Z", "2026-06-14T18:00:00.000Z"],
    ["crossing the week: Sunday end", weekly(6, 20 * 60, 1440), "2026-06-14T18:00:00.000Z", null],
    // the weekend, summer time
    ["weekend: Friday 15:59", weekend, "2026-06-12T13:59:00.000Z", null],
    ["weekend: Friday 16:00", weekend, "2026-06-12T14:00:00.000Z", "2026-06-15T06:00:00.000Z"],
    ["weekend: Sunday noon", weekend, "2026-06-14T10:00:00.000Z", "2026-06-15T06:00:00.000Z"],
    ["weekend: Monday 07:59", weekend, "2026-06-15T05:59:00.000Z", "2026-06-15T06:00:00.000Z"],
    ["weekend: Monday 08:00", weekend, "2026-06-15T06:00:00.000Z", null],
    ["weekend: Wednesday", weekend, "2026-06-17T10:00:00.000Z", null],
    // the weekend, winter time (UTC+1)
    ["winter weekend: Friday 16:00", weekend, "2026-01-16T15:00:00.000Z", "2026-01-19T07:00:00.000Z"],
    ["winter weekend: Friday 15:59", weekend, "2026-01-16T14:59:00.000Z", null],
    // other zones: the same local rule at other instants
    [
      "New York weekend",
      weekly(5, 16 * 60, 64 * 60, "America/New_York"),
      "2026-06-12T20:00:00.000Z",
      "2026-06-15T12:00:00.000Z",
    ],
    ["UTC weekend", weekly(5, 16 * 60, 64 * 60, "UTC"), "2026-06-12T16:00:00.000Z", "2026-06-15T08:00:00.000Z"],
  ])("%s", (_, window, now, expected) => {
    expect(endOf(window, now)).toBe(expected);
  });

  it("a zero-length window never freezes", () => {
    expect(activeFreeze([weekly(5, 16 * 60, 0)], new Date("2026-06-12T14:00:00.000Z"))).toBeNull();
  });

  it("an unknown time zone is read as UTC", () => {
    const window = weekly(5, 16 * 60, 64 * 60, "Mars/Olympus_Mons");
    expect(endOf(window, "2026-06-12T15:59:59.999Z")).toBeNull();
    expect(endOf(window, "2026-06-12T16:00:00.000Z")).toBe("2026-06-15T08:00:00.000Z");
  });
});

describe("weekly windows across DST changes in Europe/Paris", () => {
  it.each([
    // 2026-03-29 02:00 CET → 03:00 CEST: the weekend is 63 hours long and still ends Monday 08:00
    ["spring: Friday 16:00 CET", weekend, "2026-03-27T15:00:00.000Z", "2026-03-30T06:00:00.000Z"],
    ["spring: Friday 15:59 CET", weekend, "2026-03-27T14:59:00.000Z", null],
    ["spring: during the jump", weekend, "2026-03-29T01:00:00.000Z", "2026-03-30T06:00:00.000Z"],
    ["spring: Monday 07:59 CEST", weekend, "2026-03-30T05:59:59.999Z", "2026-03-30T06:00:00.000Z"],
    ["spring: Monday 08:00 CEST", weekend, "2026-03-30T06:00:00.000Z", null],
    // 2026-10-25 03:00 CEST → 02:00 CET: the weekend is 65 hours long
    ["autumn: Friday 16:00 CEST", weekend, "2026-10-23T14:00:00.000Z", "2026-10-26T07:00:00.000Z"],
    ["autumn: Friday 15:59 CEST", weekend, "2026-10-23T13:59:00.000Z", null],
    ["autumn: in the repeated hour", weekend, "2026-10-25T00:30:00.000Z", "2026-10-26T07:00:00.000Z"],
    ["autumn: Monday 07:59 CET", weekend, "2026-10-26T06:59:59.999Z", "2026-10-26T07:00:00.000Z"],
    ["autumn: Monday 08:00 CET (07:00 UTC)", weekend, "2026-10-26T07:00:00.000Z", null],
    // a window starting in the skipped hour starts when the clocks jump
    ["spring gap: before the jump", weekly(0, 150, 60), "2026-03-29T00:59:59.999Z", null],
    ["spring gap: at the jump", weekly(0, 150, 60), "2026-03-29T01:00:00.000Z", "2026-03-29T01:30:00.000Z"],
    ["spring gap: at its end", weekly(0, 150, 60), "2026-03-29T01:30:00.000Z", null],
    ["spring gap: a normal Sunday", weekly(0, 150, 60), "2026-03-22T01:30:00.000Z", "2026-03-22T02:30:00.000Z"],
    // a window starting in the repeated hour starts at its first occurrence and stays closed
    ["autumn overlap: first 02:30", weekly(0, 150, 60), "2026-10-25T00:30:00.000Z", "2026-10-25T02:30:00.000Z"],
    ["autumn overlap: second 02:00", weekly(0, 150, 60), "2026-10-25T01:00:00.000Z", "2026-10-25T02:30:00.000Z"],
    ["autumn overlap: before", weekly(0, 150, 60), "2026-10-25T00:29:59.999Z", null],
    ["autumn overlap: end", weekly(0, 150, 60), "2026-10-25T02:30:00.000Z", null],
  ])("%s", (_, window, now, expected) => {
    expect(endOf(window, now)).toBe(expected);
  });

  it.each([
    ["a normal time", Date.UTC(2026, 5, 12, 16, 0), "2026-06-12T14:00:00.000Z"],
    ["skipped 02:30 → the jump", Date.UTC(2026, 2, 29, 2, 30), "2026-03-29T01:00:00.000Z"],
    ["repeated 02:30 → its first occurrence", Date.UTC(2026, 9, 25, 2, 30), "2026-10-25T00:30:00.000Z"],
  ])("instantOfWallClock: %s", (_, wall, expected) => {
    expect(new Date(instantOfWallClock(wall, PARIS)).toISOString()).toBe(expected);
  });
});

describe("activeFreeze over several windows", () => {
  it("no windows, no freeze", () => {
    expect(activeFreeze([], new Date("2026-06-12T14:00:00.000Z"))).toBeNull();
  });

  it("picks the window that ends last", () => {
    const short = oneOff("2026-06-12T10:00:00.000Z", "2026-06-12T15:00:00.000Z", "Short");
    const long = oneOff("2026-06-12T11:00:00.000Z", "2026-06-13T15:00:00.000Z", "Long");
    const freeze = activeFreeze([short, long], new Date("2026-06-12T12:00:00.000Z"));
    expect(freeze?.window.reason).toBe("Long");
    expect(freeze?.endsAt.toISOString()).toBe("2026-06-13T15:00:00.000Z");
  });

  it("follows windows that touch or overlap to when promoting is possible again", () => {
    // a one-off Friday freeze running into the weekend one
    const friday = oneOff("2026-06-12T08:00:00.000Z", "2026-06-12T15:00:00.000Z", "Release day");
    const freeze = activeFreeze([friday, weekend], new Date("2026-06-12T09:00:00.000Z"));
    expect(freeze?.window.reason).toBe("Release day");
    expect(freeze?.endsAt.toISOString()).toBe("2026-06-15T06:00:00.000Z");
  });

  it("does not chain across a gap", () => {
    const friday = oneOff("2026-06-12T08:00:00.000Z", "2026-06-12T12:00:00.000Z", "Morning");
    const freeze = activeFreeze([friday, weekend], new Date("2026-06-12T09:00:00.000Z"));
    expect(freeze?.endsAt.toISOString()).toBe("2026-06-12T12:00:00.000Z");
  });

  it("keeps the caller's own fields on the window", () => {
    const window = { ...weekend, id: "w1" };
    expect(activeFreeze([window], new Date("2026-06-13T12:00:00.000Z"))?.window.id).toBe("w1");
  });

  it("reports the occurrence of a single window", () => {
    expect(freezeOccurrence(weekend, new Date("2026-06-13T12:00:00.000Z"))).toEqual({
      startsAt: new Date("2026-06-12T14:00:00.000Z"),
      endsAt: new Date("2026-06-15T06:00:00.000Z"),
    });
  });
});

describe("formatFreezeEnd", () => {
  it.each([
    ["within the week", "2026-06-15T06:00:00.000Z", PARIS, "2026-06-13T12:00:00.000Z", "Mon 08:00 Europe/Paris"],
    ["in another zone", "2026-06-15T06:00:00.000Z", "UTC", "2026-06-13T12:00:00.000Z", "Mon 06:00 UTC"],
    [
      "further away",
      "2026-10-12T06:00:00.000Z",
      PARIS,
      "2026-06-13T12:00:00.000Z",
      "Mon 12 Oct 2026 08:00 Europe/Paris",
    ],
    ["unknown zone", "2026-06-15T06:00:00.000Z", "Nowhere/Else", "2026-06-13T12:00:00.000Z", "Mon 06:00 UTC"],
  ])("%s", (_, endsAt, tz, now, expected) => {
    expect(formatFreezeEnd(new Date(endsAt), tz, new Date(now))).toBe(expected);
  });
});
