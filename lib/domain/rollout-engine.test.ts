import { describe, expect, it } from "vitest";
import { nextMove, phaseAction, trafficAt, awaitedAction, type RolloutPosition } from "./rollout-engine";

const now = new Date("2026-12-01T12:00:00Z");
const later = (s: number) => new Date(now.getTime() + s * 1000);
const canary: RolloutPosition = {
  kind: "promotion",
  status: "running",
  strategy: "canary",
  plan: [
    { percent: 5, pauseSeconds: 60 },
    { percent: 50, pauseSeconds: 60 },
    { percent: 100, pauseSeconds: 0 },
  ],
  currentStep: -1,
  phase: "deploy",
  skipPauses: false,
  stepEndsAt: null,
};
const ok = { type: "provider", result: "ok" } as const;
const healthy = { type: "health", outcome: "success", reason: "fine", intervalSeconds: 10 } as const;

describe("rollout engine", () => {
  it("walks a canary: deploy to the idle colour, smoke check, then each step's traffic, watched until its pause ends, then success", () => {
    expect(nextMove(canary, ok, now)).toEqual({ to: "smoke" });
    expect(nextMove({ ...canary, phase: "smoke" }, healthy, now)).toEqual({ to: "shift", step: 0 });
    const shifting = { ...canary, phase: "shift" as const, currentStep: 0 };
    expect(nextMove(shifting, ok, now)).toEqual({ to: "analyse", step: 0, endsAt: later(60) });
    const watching = { ...shifting, phase: "analyse" as const, stepEndsAt: later(60) };
    expect(nextMove(watching, healthy, now)).toEqual({ to: "analyse_again", at: later(10) });
    // the last round of a pause comes at its end, not past it
    expect(nextMove(watching, healthy, later(55))).toEqual({ to: "analyse_again", at: later(60) });
    expect(nextMove(watching, healthy, later(60))).toEqual({ to: "shift", step: 1 });
    const last = { ...watching, currentStep: 2, stepEndsAt: later(0) };
    expect(nextMove(last, healthy, now)).toEqual({ to: "succeed" });
  });

  it("a direct deploy takes all traffic at once and is watched once", () => {
    const direct = { ...canary, strategy: "direct" as const, plan: [{ percent: 100, pauseSeconds: 0 }] };
    expect(trafficAt(direct, -1)).toBe(100);
    expect(nextMove(direct, ok, now)).toEqual({ to: "analyse", step: 0, endsAt: now });
    expect(nextMove({ ...direct, phase: "analyse", currentStep: 0, stepEndsAt: now }, healthy, now)).toEqual({
      to: "succeed",
    });
  });

  it("fails without rollback when the deploy itself fails (no traffic moved), rolls back once traffic moved", () => {
    const failed = { type: "provider", result: "failed", reason: "exit 1" } as const;
    expect(nextMove(canary, failed, now)).toEqual({ to: "fail", reason: "exit 1" });
    expect(nextMove({ ...canary, phase: "shift", currentStep: 1 }, failed, now)).toEqual({
      to: "rollback",
      reason: "exit 1",
    });
  });

  it("health: failure rolls back, inconclusive pauses for a person", () => {
    const watching = { ...canary, phase: "analyse" as const, currentStep: 1, stepEndsAt: later(60) };
    expect(nextMove(watching, { ...healthy, outcome: "failure", reason: "5xx 12 %" }, now)).toEqual({
      to: "rollback",
      reason: "5xx 12 %",
    });
    expect(nextMove(watching, { ...healthy, outcome: "inconclusive", reason: "p95 3.4 s" }, now)).toEqual({
      to: "pause",
      reason: "p95 3.4 s",
    });
  });

  it("promote now skips the rest of a pause", () => {
    const watching = { ...canary, phase: "analyse" as const, currentStep: 0, stepEndsAt: later(60), skipPauses: true };
    expect(nextMove(watching, healthy, now)).toEqual({ to: "shift", step: 1 });
    expect(nextMove({ ...watching, phase: "shift" }, ok, now)).toEqual({ to: "analyse", step: 0, endsAt: now });
  });

  it("a receiver's report answers the awaited step; silence past the deadline fails it the same way", () => {
    expect(nextMove(canary, { type: "provider", result: "pending", timeoutSeconds: 300 }, now)).toEqual({
      to: "await",
      deadline: later(300),
    });
    const awaitingDeploy = { ...canary, phase: "await" as const };
    expect(awaitedAction(awaitingDeploy)).toBe("deploy");
    // a deploy the receiver reports done is smoke-checked like any other
    expect(nextMove(awaitingDeploy, { type: "report", ok: true }, now)).toEqual({ to: "smoke" });
    expect(nextMove(awaitingDeploy, { type: "deadline", waitedSeconds: 300 }, now)).toEqual({
      to: "fail",
      reason: "The receiver did not report the outcome within 300 s",
    });
    const awaitingShift = { ...awaitingDeploy, currentStep: 1 };
    expect(nextMove(awaitingShift, { type: "report", ok: false, reason: "LB refused" }, now)).toEqual({
      to: "rollback",
      reason: "LB refused",
    });
    const awaitingRollback = { ...awaitingShift, status: "rolling_back" as const };
    expect(nextMove(awaitingRollback, { type: "report", ok: true }, now)).toEqual({ to: "rolled_back" });
    expect(nextMove(awaitingRollback, { type: "deadline", waitedSeconds: 60 }, now)).toMatchObject({
      to: "rollback_failed",
    });
  });

  it("a rollback deployment succeeds when the previous release is back, and fails (never loops) when it is not", () => {
    const undo = { ...canary, kind: "rollback" as const, phase: "rollback" as const };
    expect(phaseAction(undo)).toBe("rollback");
    expect(nextMove(undo, ok, now)).toEqual({ to: "succeed" });
    expect(nextMove(undo, { type: "provider", result: "failed", reason: "x" }, now)).toEqual({
      to: "fail",
      reason: "x",
    });
    const auto = { ...canary, status: "rolling_back" as const, phase: "rollback" as const, currentStep: 1 };
    expect(nextMove(auto, ok, now)).toEqual({ to: "rolled_back" });
    expect(nextMove(auto, { type: "provider", result: "failed", reason: "x" }, now)).toEqual({
      to: "rollback_failed",
      reason: "x",
    });
  });

  describe("the smoke check of the idle colour (blue-green, canary)", () => {
    const blueGreen: RolloutPosition = { ...canary, strategy: "blue_green", plan: [{ percent: 100, pauseSeconds: 0 }] };
    const smoking = { ...blueGreen, phase: "smoke" as const };

    it("comes after a deploy to the idle colour, before any traffic moves; a direct deploy has none", () => {
      expect(nextMove(blueGreen, ok, now)).toEqual({ to: "smoke" });
      expect(phaseAction(smoking)).toBeNull();
      expect(trafficAt(smoking, smoking.currentStep)).toBe(0);
      const direct = { ...canary, strategy: "direct" as const, plan: [{ percent: 100, pauseSeconds: 0 }] };
      expect(nextMove(direct, ok, now)).toMatchObject({ to: "analyse" });
    });

    it("success: the switch (blue-green) or the first traffic step (canary)", () => {
      expect(nextMove(smoking, healthy, now)).toEqual({ to: "shift", step: 0 });
      expect(nextMove({ ...canary, phase: "smoke" }, healthy, now)).toEqual({ to: "shift", step: 0 });
    });

    it("failure: the deployment fails, saying why, with no rollback (no traffic reached the new colour)", () => {
      const failed = { ...healthy, outcome: "failure", reason: "Home page: GET http://green/ answered 500" } as const;
      expect(nextMove(smoking, failed, now)).toEqual({
        to: "fail",
        reason: "The smoke check failed: Home page: GET http://green/ answered 500",
      });
    });

    it("inconclusive: pauses for a person, who may resume (another smoke round) or abort", () => {
      const unsure = { ...healthy, outcome: "inconclusive", reason: "timed out" } as const;
      expect(nextMove(smoking, unsure, now)).toEqual({
        to: "pause",
        reason: "The smoke check could not tell: timed out",
      });
    });

    it("promote now does not skip it: pauses are skipped, checks are not", () => {
      const hurried = { ...smoking, skipPauses: true };
      expect(nextMove(hurried, { ...healthy, outcome: "failure", reason: "500" }, now)).toMatchObject({ to: "fail" });
    });

    it("takes only a health round, never a provider's answer or a report", () => {
      expect(() => nextMove(smoking, ok, now)).toThrow();
      expect(() => nextMove(smoking, { type: "report", ok: true }, now)).toThrow();
    });
  });

  it("refuses outcomes that cannot happen in a phase (a bug, not input)", () => {
    expect(() => nextMove({ ...canary, phase: "analyse" }, ok, now)).toThrow();
    expect(() => nextMove(canary, healthy, now)).toThrow();
    expect(() => nextMove(canary, { type: "report", ok: true }, now)).toThrow();
  });
});
