// Freeze windows: when an environment takes no promotions. Pure; time-zone arithmetic goes
// through Intl.DateTimeFormat only, so the rules follow the IANA database Node ships with.
//
// A weekly window is written in local wall-clock time ("Friday 16:00 for 3840 minutes" is the
// weekend, Friday 16:00 → Monday 08:00) and keeps meaning that across DST changes: each week's
// occurrence runs from the instant its local start happens to the instant its local end
// happens, so the weekend of a spring-forward change is one hour shorter in elapsed time and
// still ends at Monday 08:00. A local time that happens twice (autumn) means its first
// occurrence; one that never happens (the spring gap) means the moment the clocks jump past it.

export type FreezeWindowInput =
  | { kind: "one_off"; reason: string; timeZone: string; startsAt: Date; endsAt: Date }
  | {
      kind: "weekly";
      reason: string;
      timeZone: string;
      /** 0 = Sunday … 6 = Saturday, in the window's time zone */
      weekday: number;
      /** minutes after local midnight, 0 … 1439 */
      startMinute: number;
      /** wall-clock length; may cross midnight and the end of the week */
      durationMinutes: number;
    };

export interface ActiveFreeze<W extends FreezeWindowInput = FreezeWindowInput> {
  /** the window that freezes now (of several, the one that ends last) */
  window: W;
  /** when promoting becomes possible again: windows that overlap or touch are followed through */
  endsAt: Date;
}

export const MINUTES_PER_WEEK = 7 * 24 * 60;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
/** bounds the walk through back-to-back windows (a week-long weekly window never ends) */
const MAX_CHAINED_WINDOWS = 64;

/** Whether `tz` is an IANA time zone this runtime knows; input validation rejects the rest. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone a window is evaluated in. Validation keeps unknown zones out of the database; one
 * that still arrives (a zone dropped from a newer IANA release) is read as UTC rather than
 * throwing, so the release page still renders and the freeze still applies, possibly shifted.
 */
export function effectiveTimeZone(tz: string): string {
  return isValidTimeZone(tz) ? tz : "UTC";
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(tz: string): Intl.DateTimeFormat {
  let formatter = wallFormatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallFormatters.set(tz, formatter);
  }
  return formatter;
}

/** The local wall-clock time of `instant` in `tz`, as milliseconds of a UTC-based timeline. */
export function wallClock(instant: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const part of wallFormatter(tz).formatToParts(new Date(instant)))
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  const field = (name: string) => parts[name] ?? 0;
  const wall = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour") % 24,
    field("minute"),
    field("second"),
  );
  return wall + (((instant % 1000) + 1000) % 1000);
}

/**
 * The instant at which the local wall-clock time `wall` happens in `tz`: its first occurrence
 * when the clocks go back, the moment of the jump when the clocks skip it.
 */
export function instantOfWallClock(wall: number, tz: string): number {
  // real zones change offset at most once within two days, so the offsets a day either side
  // are the only candidates
  const offsets = [wallClock(wall - DAY, tz) - (wall - DAY), wallClock(wall + DAY, tz) - (wall + DAY)];
  const candidates = offsets.map((offset) => wall - offset).filter((instant) => wallClock(instant, tz) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // in the gap: the first instant whose wall clock is at or past `wall`
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid, tz) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The occurrence of `window` that contains `now`, as instants, or null when it is not active. */
export function freezeOccurrence(window: FreezeWindowInput, now: Date): { startsAt: Date; endsAt: Date } | null {
  const at = now.getTime();
  if (window.kind === "one_off") {
    // start inclusive, end exclusive: a window ending at 08:00 lets an 08:00 promotion through
    const start = window.startsAt.getTime();
    const end = window.endsAt.getTime();
    return start <= at && at < end ? { startsAt: new Date(start), endsAt: new Date(end) } : null;
  }
  if (window.durationMinutes <= 0) return null;
  const tz = effectiveTimeZone(window.timeZone);
  const nowWall = wallClock(at, tz);
  const nowMinute = Math.floor(nowWall / MINUTE);
  const weekMinute = new Date(nowWall).getUTCDay() * 24 * 60 + (((nowMinute % 1440) + 1440) % 1440);
  const windowMinute = window.weekday * 24 * 60 + window.startMinute;
  const sinceStart = (((weekMinute - windowMinute) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const latestStartWall = (nowMinute - sinceStart) * MINUTE;
  // near a DST change wall clock and instants disagree by up to an hour, so the neighbouring
  // weeks' occurrences are checked too; the latest-ending one that contains now wins
  let found: { startsAt: Date; endsAt: Date } | null = null;
  for (const startWall of [latestStartWall - WEEK, latestStartWall, latestStartWall + WEEK]) {
    const start = instantOfWallClock(startWall, tz);
    const end = instantOfWallClock(startWall + window.durationMinutes * MINUTE, tz);
    if (start <= at && at < end && (!found || end > found.endsAt.getTime()))
      found = { startsAt: new Date(start), endsAt: new Date(end) };
  }
  return found;
}

/** The freeze in force at `now`, or null when promotions may go ahead. */
export function activeFreeze<W extends FreezeWindowInput>(windows: readonly W[], now: Date): ActiveFreeze<W> | null {
  let active: ActiveFreeze<W> | null = null;
  for (const window of windows) {
    const occurrence = freezeOccurrence(window, now);
    if (occurrence && (!active || occurrence.endsAt > active.endsAt)) active = { window, endsAt: occurrence.endsAt };
  }
  if (!active) return null;
  // "frozen until 17:00" is wrong when another window starts at 17:00: follow the chain
  let endsAt = active.endsAt;
  for (let hop = 0; hop < MAX_CHAINED_WINDOWS; hop++) {
    const next = windows
      .map((window) => freezeOccurrence(window, endsAt)?.endsAt)
      .reduce<Date | undefined>((latest, end) => (end && (!latest || end > latest) ? end : latest), undefined);
    if (!next) break;
    endsAt = next;
  }
  return { window: active.window, endsAt };
}

/**
 * When a freeze ends, in the window's own zone: "Mon 08:00" within the coming six days,
 * "Mon 12 Oct 2026 08:00" beyond.
 */
export function formatFreezeEnd(endsAt: Date, timeZone: string, now: Date): string {
  const tz = effectiveTimeZone(timeZone);
  const soon = endsAt.getTime() - now.getTime() < 6 * DAY;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    hourCycle: "h23",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    ...(soon ? {} : { day: "numeric", month: "short", year: "numeric" }),
  }).formatToParts(endsAt);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const day = soon ? part("weekday") : `${part("weekday")} ${part("day")} ${part("month")} ${part("year")}`;
  return `${day} ${part("hour")}:${part("minute")} ${tz}`;
}
