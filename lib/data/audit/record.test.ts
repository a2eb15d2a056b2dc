import { describe, expect, it } from "vitest";
import { auditEventId } from "./record";

// Audit ids are UUIDv7 that this process only ever makes in increasing order, so the events of
// one transaction list in the order they were written even within one millisecond.

const msOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

describe("auditEventId", () => {
  it("is a version 7, variant 10 UUID carrying the millisecond it was made in", () => {
    // a few milliseconds ahead, so later than any id this process made so far (the module keeps
    // the last one: an id far in the future would stamp every later id of this worker with it)
    const now = Date.now() + 5;
    const id = auditEventId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(msOf(id)).toBe(now);
  });

  it("increases within one millisecond, past the 12-bit counter, and when the clock steps back", () => {
    const now = Date.now() + 20;
    const ids = [
      ...Array.from({ length: 5_000 }, () => auditEventId(now)), // more than 4,096: runs past the counter
      auditEventId(now - 60_000), // the clock stepped back a minute
      auditEventId(now + 10),
    ];
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `id ${i}`).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(msOf(ids[0]!)).toBe(now);
    expect(msOf(ids.at(-1)!)).toBeGreaterThanOrEqual(now + 1);
  });
});
