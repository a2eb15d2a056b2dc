import { z } from "zod";
import { ValidationError } from "./errors";

// Input pieces every operation shares, and the one way a zod failure becomes a 422.
//
// Bad input is refused here, in one place, before anything reaches the database:
// `parseInput` (every operation's first step, and the HTTP route kit's too) checks what the
// schema let through for what PostgreSQL cannot hold, whatever the field — a NUL character
// (refused in text and JSON alike) or an unpaired UTF-16 surrogate (not UTF-8 at all) in any
// string or object key, and a date outside years 1970–9999 (PostgreSQL reads neither a year 0
// nor a year 10000 written in ISO form). Each answers a 422 naming the field, never a 500.
// Dates that stay ISO strings after parsing use `isoDateTime` / `isoDay` below, which hold
// them to the same years.

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

// ─── what PostgreSQL cannot store ────────────────────────────────────────────────────────────

const NUL = /\0/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const NUL_MESSAGE = "Remove the NUL character (\\0): it cannot be stored";
export const SURROGATE_MESSAGE = "Remove the broken character (an unpaired UTF-16 surrogate): it cannot be stored";

/** Why `text` cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (NUL.test(text)) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return SURROGATE_MESSAGE;
  return null;
}

/** For a schema that must fall back (`.catch`) rather than refuse: text PostgreSQL can store. */
export const storable = (text: string): boolean => unstorableText(text) === null;

export const EARLIEST_DATE = new Date(Date.UTC(1970, 0, 1));
export const LATEST_DATE = new Date(Date.UTC(10_000, 0, 1) - 1);
export const DATE_RANGE_MESSAGE = "Use a date between the years 1970 and 9999 (UTC)";

/** A real date within years 1970–9999 in UTC. */
export function withinDateRange(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST_DATE.getTime() && time <= LATEST_DATE.getTime();
}

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Every place in `value` that PostgreSQL cannot store, as field errors keyed by dotted path
 * ("_" for the whole value). Walks plain objects and arrays without recursion, so any depth is
 * safe; a shared or circular reference is visited once.
 */
export function unstorableFields(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  // each place links to its parent, so the path is spelled out only for a place reported
  type Place = { value: unknown; key: string | number | null; parent: Place | null };
  const add = (place: Place, message: string) => {
    const path: (string | number)[] = [];
    for (let at: Place | null = place; at && at.key !== null; at = at.parent) path.push(at.key);
    const messages = (out[path.reverse().join(".") || "_"] ??= []);
    if (!messages.includes(message)) messages.push(message);
  };
  const seen = new Set<object>();
  const stack: Place[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const place = stack.pop()!;
    const current = place.value;
    if (typeof current === "string") {
      const problem = unstorableText(current);
      if (problem) add(place, problem);
    } else if (current instanceof Date) {
      if (!withinDateRange(current)) add(place, DATE_RANGE_MESSAGE);
    } else if (typeof current === "object" && current !== null && !seen.has(current)) {
      seen.add(current);
      if (Array.isArray(current)) current.forEach((item, i) => stack.push({ value: item, key: i, parent: place }));
      else if (isPlainObject(current))
        for (const [key, item] of Object.entries(current)) {
          const problem = unstorableText(key);
          if (problem) add(place, problem);
          stack.push({ value: item, key, parent: place });
        }
    }
  }
  return out;
}

/**
 * `raw` read by `schema`, or a ValidationError (422) with a message per field: zod's, then
 * what PostgreSQL could not store of what zod let through.
 */
export function parseInput<I>(schema: z.ZodType<I>, raw: unknown): I {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError("Some fields need attention", fieldErrors(parsed.error));
  const unstorable = unstorableFields(parsed.data);
  if (Object.keys(unstorable).length) throw new ValidationError("Some fields need attention", unstorable);
  return parsed.data;
}

// ─── shared pieces ───────────────────────────────────────────────────────────────────────────

// zod runs a refinement even after the format failed: an unreadable value has its message already
const inRangeIfReadable = (value: string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || withinDateRange(date);
};

/** An ISO 8601 date and time with "Z" or an offset, within years 1970–9999 in UTC. */
export function isoDateTime(message = "Use an ISO 8601 date and time, e.g. 2026-03-01T12:00:00Z") {
  return z.iso.datetime({ offset: true, error: message }).refine(inRangeIfReadable, DATE_RANGE_MESSAGE);
}

/** A calendar day as YYYY-MM-DD, within years 1970–9999. */
export function isoDay(message = "Enter a date as YYYY-MM-DD") {
  return z.iso.date({ error: message }).refine(inRangeIfReadable, DATE_RANGE_MESSAGE);
}

/** An environment's key as it arrives in URLs and forms. */
export const environmentKey = z.string().trim().min(1, "Choose an environment").max(100);

/** No input at all (list reads). */
export const noInput = z.object({}).strict();
