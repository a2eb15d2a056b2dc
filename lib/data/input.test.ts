import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "./errors";
import {
  DATE_RANGE_MESSAGE,
  NUL_MESSAGE,
  SURROGATE_MESSAGE,
  isoDateTime,
  isoDay,
  parseInput,
  unstorableFields,
  unstorableText,
} from "./input";

// The one rule for bad input (lib/data/input.ts): whatever a schema lets through, text with a
// NUL or an unpaired surrogate and dates outside 1970–9999 are a 422 naming the field.

function refusal(schema: z.ZodType, raw: unknown): Record<string, string[]> {
  try {
    parseInput(schema, raw);
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors;
    throw e;
  }
  throw new Error("parseInput accepted the input");
}

describe("unstorableText", () => {
  it.each([
    ["plain words", null],
    ["emoji 🚀 and accents é", null],
    ["a\u0000b", NUL_MESSAGE],
    ["lone high \uD800 here", SURROGATE_MESSAGE],
    ["lone low \uDC00", SURROGATE_MESSAGE],
    ["\uDC00\uD800 reversed pair", SURROGATE_MESSAGE],
    ["ends high \uD83D", SURROGATE_MESSAGE],
  ])("%j", (text, expected) => {
    expect(unstorableText(text)).toBe(expected);
  });
});

describe("parseInput", () => {
  const release = z.object({
    title: z.string(),
    links: z.array(z.object({ label: z.string(), url: z.string() })).optional(),
    meta: z.record(z.string(), z.string()).optional(),
    at: z.date().optional(),
  });

  it("names each field holding a NUL or a broken surrogate, nested ones by their dotted path", () => {
    expect(
      refusal(release, {
        title: "Fix\u0000",
        links: [
          { label: "ok", url: "https://x.example" },
          { label: "bad \uD800", url: "https://y.example/\u0000" },
        ],
      }),
    ).toEqual({ title: [NUL_MESSAGE], "links.1.label": [SURROGATE_MESSAGE], "links.1.url": [NUL_MESSAGE] });
  });

  it("refuses a key that cannot be stored, under its object's path", () => {
    expect(refusal(release, { title: "t", meta: { "k\u0000": "v" } })).toEqual({ meta: [NUL_MESSAGE] });
  });

  it("refuses dates outside years 1970–9999 and invalid dates", () => {
    expect(refusal(release, { title: "t", at: new Date(Date.UTC(10_000, 0, 1)) })).toEqual({
      at: [DATE_RANGE_MESSAGE],
    });
    expect(refusal(release, { title: "t", at: new Date(-1) })).toEqual({ at: [DATE_RANGE_MESSAGE] });
    expect(parseInput(release, { title: "t", at: new Date(0) }).at).toEqual(new Date(0));
  });

  it("reports zod's own messages first", () => {
    expect(refusal(release, { title: 3 })).toHaveProperty("title");
  });

  it("lets a schema that falls back (.catch) keep doing so: only what it lets through is checked", () => {
    const page = z.object({ page: z.coerce.number().int().min(1).catch(1) });
    expect(parseInput(page, { page: "\u0000" })).toEqual({ page: 1 });
  });

  it("walks any depth without recursion", () => {
    let deep: unknown = "bottom\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const errors = unstorableFields(deep);
    expect(Object.values(errors)).toEqual([[NUL_MESSAGE]]);
    expect(refusal(z.unknown(), deep)).toEqual(errors);
  });

  it("visits a circular value once", () => {
    const loop: Record<string, unknown> = { text: "fine" };
    loop.self = loop;
    expect(unstorableFields(loop)).toEqual({});
  });
});

describe("isoDateTime", () => {
  const schema = z.object({ commitAt: isoDateTime() });
  it.each(["1970-01-01T00:00:00Z", "2026-03-01T12:00:00+02:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+14:00"])(
    "accepts %s",
    (commitAt) => {
      expect(parseInput(schema, { commitAt })).toEqual({ commitAt });
    },
  );

  it.each([
    // no year 0 in PostgreSQL; after year 9999 in UTC once the offset is applied
    ["0000-01-01T00:00:00Z", DATE_RANGE_MESSAGE],
    ["1969-12-31T23:59:59Z", DATE_RANGE_MESSAGE],
    ["9999-12-31T23:59:59-14:00", DATE_RANGE_MESSAGE],
  ])("refuses %s", (commitAt, message) => {
    expect(refusal(schema, { commitAt })).toEqual({ commitAt: [message] });
  });

  it("refuses what is not an ISO date and time", () => {
    expect(refusal(schema, { commitAt: "yesterday" })).toEqual({
      commitAt: ["Use an ISO 8601 date and time, e.g. 2026-03-01T12:00:00Z"],
    });
  });
});

describe("isoDay", () => {
  const schema = z.object({ from: isoDay() });
  it("accepts days from 1970 to 9999 and refuses others", () => {
    expect(parseInput(schema, { from: "1970-01-01" })).toEqual({ from: "1970-01-01" });
    expect(parseInput(schema, { from: "9999-12-31" })).toEqual({ from: "9999-12-31" });
    expect(refusal(schema, { from: "0000-01-01" })).toEqual({ from: [DATE_RANGE_MESSAGE] });
    expect(refusal(schema, { from: "2026-02-30" })).toEqual({ from: ["Enter a date as YYYY-MM-DD"] });
  });
});
