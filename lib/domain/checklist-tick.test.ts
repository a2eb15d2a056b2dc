import { describe, expect, it } from "vitest";
import type { TokenActor, UserActor } from "./access";
import { planTick } from "./checklist-tick";

const quentin: UserActor = {
  kind: "user",
  id: "quentin",
  email: "quentin@example.test",
  name: "Quentin",
  roles: [],
  global: new Set(),
  byEnvironment: new Map(),
};
const ci = { kind: "token", id: "ci-token", name: "ci" } as TokenActor;
const now = new Date("2026-12-03T10:00:00Z");
const earlier = new Date("2026-12-03T09:00:00Z");
const open = { checkedAt: null, note: null };
const ticked = { checkedAt: earlier, note: "smoke suite green" };

describe("planTick", () => {
  it("ticks an open item for the person or the token, with the note", () => {
    expect(planTick(open, { checked: true, note: "done" }, quentin, now)).toEqual({
      changed: true,
      wasChecked: false,
      verb: "Ticked",
      data: { checkedAt: now, checkedById: "quentin", checkedByTokenId: null, note: "done" },
    });
    expect(planTick(open, { checked: true }, ci, now)).toMatchObject({
      verb: "Ticked",
      data: { checkedById: null, checkedByTokenId: "ci-token", note: null },
    });
  });

  it("unticks: who, when and the note go", () => {
    expect(planTick(ticked, { checked: false, note: "ignored" }, quentin, now)).toEqual({
      changed: true,
      wasChecked: true,
      verb: "Unticked",
      data: { checkedAt: null, checkedById: null, checkedByTokenId: null, note: null },
    });
  });

  it("a new note on a ticked item keeps who ticked it and when; an empty note clears it", () => {
    expect(planTick(ticked, { checked: true, note: "all 42 passed" }, quentin, now)).toEqual({
      changed: true,
      wasChecked: true,
      verb: "Changed the note of",
      data: { note: "all 42 passed" },
    });
    expect(planTick(ticked, { checked: true, note: "" }, quentin, now)).toMatchObject({ data: { note: null } });
  });

  it("what is already so changes nothing: a repeat, a tick without a note, an untick of an open item", () => {
    expect(planTick(ticked, { checked: true }, quentin, now)).toEqual({ changed: false, wasChecked: true });
    expect(planTick(ticked, { checked: true, note: "smoke suite green" }, ci, now)).toEqual({
      changed: false,
      wasChecked: true,
    });
    expect(planTick(open, { checked: false }, quentin, now)).toEqual({ changed: false, wasChecked: false });
  });
});
