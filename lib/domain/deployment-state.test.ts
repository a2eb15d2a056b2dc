import { describe, expect, it } from "vitest";
import {
  ACTIVE_STATUSES,
  DEPLOYMENT_EVENTS,
  DEPLOYMENT_STATUSES,
  FINAL_STATUSES,
  fromStatuses,
  isActiveStatus,
  isFinalStatus,
  planTransition,
  toStatus,
  transition,
  type DeploymentEvent,
  type DeploymentStatus,
} from "./deployment-state";

// The whole machine, written out: every status × every event, with the one expected outcome.
// A change to the machine must change this table, on purpose.
const EXPECTED: Record<DeploymentStatus, Partial<Record<DeploymentEvent, DeploymentStatus>>> = {
  queued: { claim: "running", cancel: "cancelled" },
  running: { pause: "paused", succeed: "succeeded", fail: "failed", rollback: "rolling_back" },
  paused: { resume: "running", fail: "failed", cancel: "cancelled", rollback: "rolling_back" },
  rolling_back: { rollback_succeed: "rolled_back", rollback_fail: "failed" },
  succeeded: { rollback: "rolling_back" },
  failed: { rollback: "rolling_back" },
  rolled_back: {},
  cancelled: {},
};

describe("deployment state machine", () => {
  for (const from of DEPLOYMENT_STATUSES)
    for (const event of DEPLOYMENT_EVENTS) {
      const expected = EXPECTED[from][event] ?? null;
      it(`${from} + ${event} → ${expected ?? "refused"}`, () => {
        expect(transition(from, event)).toBe(expected);
        if (expected) expect(planTransition(from, event)).toEqual({ from, to: expected });
        else expect(() => planTransition(from, event)).toThrow(`a ${from} deployment cannot`);
      });
    }

  it("fromStatuses lists exactly the statuses an event may start from", () => {
    for (const event of DEPLOYMENT_EVENTS)
      expect(fromStatuses(event).sort()).toEqual(
        DEPLOYMENT_STATUSES.filter((s) => EXPECTED[s][event] !== undefined).sort(),
      );
  });

  it("every event leads to one status, whatever it starts from", () => {
    for (const event of DEPLOYMENT_EVENTS)
      expect(new Set(fromStatuses(event).map((s) => transition(s, event)))).toEqual(new Set([toStatus(event)]));
  });

  it("rolled back and cancelled are final; succeeded and failed only lead to a rollback", () => {
    for (const status of FINAL_STATUSES) {
      const next = DEPLOYMENT_EVENTS.map((e) => transition(status, e)).filter((s) => s !== null);
      expect(next.every((s) => s === "rolling_back")).toBe(true);
      expect(isFinalStatus(status)).toBe(true);
      expect(isActiveStatus(status)).toBe(false);
    }
  });

  it("every status is reachable from queued, and every active status can end", () => {
    const reached = new Set<DeploymentStatus>(["queued"]);
    for (let grew = true; grew;) {
      grew = false;
      for (const from of [...reached])
        for (const event of DEPLOYMENT_EVENTS) {
          const to = transition(from, event);
          if (to && !reached.has(to)) {
            reached.add(to);
            grew = true;
          }
        }
    }
    expect([...reached].sort()).toEqual([...DEPLOYMENT_STATUSES].sort());
    for (const status of ACTIVE_STATUSES)
      expect(DEPLOYMENT_EVENTS.some((e) => FINAL_STATUSES.some((f) => f === transition(status, e)))).toBe(true);
  });
});
