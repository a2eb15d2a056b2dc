import { describe, expect, it } from "vitest";
import {
  compareChecklistItems,
  compareSettings,
  minutesText,
  relationOf,
  relationSentence,
  stepsText,
  type ComparedSettings,
} from "./environment-drift";

const base: ComparedSettings = {
  protected: false,
  requiredApprovals: 0,
  preventSelfApproval: false,
  soakMinutes: 0,
  autoPromote: false,
  flagChangeApprovals: 0,
  requireSecondFactor: false,
  secondFactorMaxAgeMinutes: 720,
  rolloutStrategy: "direct",
  rolloutSteps: [],
  deployQueuePolicy: "queue",
  healthChecks: [],
  healthCheckPath: null,
  healthCheckIntervalSeconds: 30,
  healthCheckFailureThreshold: 3,
  errorRateThresholdPercent: null,
  checklist: null,
  freezeWindows: [],
};

describe("where two environments stand for an application", () => {
  it("reads ahead, behind, same, not deployed, neither and unknown", () => {
    expect(relationOf("running", "running", 3)).toBe("ahead");
    expect(relationOf("running", "running", -1)).toBe("behind");
    expect(relationOf("running", "running", 0)).toBe("same");
    expect(relationOf("running", "none", null)).toBe("not_deployed");
    expect(relationOf("none", "none", null)).toBe("neither");
    expect(relationOf("unknown", "running", null)).toBe("unknown");
  });

  it("says it with the direction and the count", () => {
    const a = { name: "Staging", runs: "running" as const };
    const b = { name: "Production", runs: "running" as const };
    expect(relationSentence("ahead", 3, a, b)).toBe("Staging is 3 releases ahead of Production");
    expect(relationSentence("behind", -1, a, b)).toBe("Staging is 1 release behind Production");
    expect(relationSentence("not_deployed", null, a, { ...b, runs: "none" })).toBe("Production runs nothing yet");
  });
});

describe("settings", () => {
  it("marks only what differs, and reads freeze windows as a set", () => {
    const a = { ...base, freezeWindows: ["Every Friday 16:00 for 2 d", "Holidays"] };
    const b = { ...base, requiredApprovals: 2, freezeWindows: ["Holidays", "Every Friday 16:00 for 2 d"] };
    const differing = compareSettings(a, b).filter((r) => r.differs);
    expect(differing.map((r) => [r.key, r.text.a, r.text.b])).toEqual([["requiredApprovals", "0", "2"]]);
  });

  it("ignores the steps of a direct rollout and the age of a second factor nobody asks for", () => {
    const a = { ...base, rolloutSteps: [{ percent: 5, pauseSeconds: 60 }], secondFactorMaxAgeMinutes: 10 };
    expect(compareSettings(a, base).filter((r) => r.differs)).toEqual([]);
  });

  it("writes durations and steps as people read them", () => {
    expect(minutesText(45)).toBe("45 min");
    expect(minutesText(90)).toBe("1 h 30 min");
    expect(minutesText(3 * 24 * 60)).toBe("3 d");
    expect(
      stepsText("canary", [
        { percent: 5, pauseSeconds: 300 },
        { percent: 100, pauseSeconds: 0 },
      ]),
    ).toBe("5 % (5 min) → 100 %");
    expect(stepsText("direct", [{ percent: 5, pauseSeconds: 300 }])).toBe("One step to 100 %");
  });
});

describe("checklist items", () => {
  it("matches by section and label whatever the case and spacing; added, removed and changed", () => {
    const rows = compareChecklistItems(
      [
        { section: "QA", label: "Smoke tests", hint: null, required: true, phase: "before" },
        { section: "QA", label: "UAT", hint: null, required: false, phase: "before" },
        { section: null, label: "Only here", hint: null, required: true, phase: "before" },
        { section: "Deployment", label: "Verify health", hint: null, required: true, phase: "during" },
      ],
      [
        { section: "qa", label: "smoke  tests", hint: null, required: true, phase: "before" },
        { section: "QA", label: "UAT", hint: "by the PO", required: false, phase: "before" },
        { section: "Ops", label: "Backup", hint: null, required: true, phase: "before" },
        { section: "Deployment", label: "Verify health", hint: null, required: true, phase: "after" },
      ],
    );
    expect(rows.map((r) => [r.label, r.change, r.differs])).toEqual([
      ["Smoke tests", "same", false],
      ["UAT", "changed", true],
      ["Only here", "only_a", true],
      // ticked during the deployment in one, after it in the other
      ["Verify health", "changed", true],
      ["Backup", "only_b", true],
    ]);
    expect(rows[3]).toMatchObject({ a: { phase: "during" }, b: { phase: "after" } });
  });
});
