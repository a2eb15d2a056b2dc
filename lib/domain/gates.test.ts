import { describe, expect, it } from "vitest";
import type { FreezeWindowInput } from "./freeze";
import {
  evaluateGates,
  failingGates,
  GATE_KEYS,
  gatesPass,
  onlyFreezeFails,
  readinessLabel,
  timeOpensGatesAt,
  type GateDecision,
  type GateInput,
  type GateKey,
} from "./gates";

const NOW = new Date("2026-06-10T12:00:00.000Z"); // a Wednesday
const AUTHOR = "u-author";

function minutesAgo(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

function approval(userId: string, userName: string, overrides: Partial<GateDecision> = {}): GateDecision {
  return { userId, userName, decision: "approved", mayApprove: true, decidedAt: minutesAgo(10), ...overrides };
}

function rejection(userId: string, userName: string, overrides: Partial<GateDecision> = {}): GateDecision {
  return approval(userId, userName, { decision: "rejected", ...overrides });
}

const weekend: FreezeWindowInput = {
  kind: "weekly",
  reason: "Weekend freeze",
  timeZone: "Europe/Paris",
  weekday: 5,
  startMinute: 16 * 60,
  durationMinutes: 64 * 60,
};

/** Production after Staging, with every gate passing. */
function input(overrides: Partial<GateInput> = {}): GateInput {
  return {
    now: NOW,
    release: { authorId: AUTHOR },
    environment: { name: "Production", requiredApprovals: 2, preventSelfApproval: true, soakMinutes: 30 },
    previous: { name: "Staging", succeededAt: minutesAgo(120) },
    approvals: [approval("u-priya", "Priya Nair"), approval("u-sam", "Sam Lee")],
    checklist: [
      { label: "Smoke test", required: true, checked: true },
      { label: "Release notes", required: false, checked: false },
    ],
    freezeWindows: [weekend],
    ...overrides,
  };
}

function gate(key: GateKey, overrides: Partial<GateInput>) {
  const found = evaluateGates(input(overrides)).find((g) => g.key === key);
  if (!found) throw new Error(`no ${key} gate`);
  return { passed: found.passed, detail: found.detail };
}

function environment(overrides: Partial<GateInput["environment"]>): GateInput["environment"] {
  return { ...input().environment, ...overrides };
}

describe("evaluateGates", () => {
  it("returns every gate in a fixed order, all passing for a ready release", () => {
    const gates = evaluateGates(input());
    expect(gates.map((g) => g.key)).toEqual([...GATE_KEYS]);
    expect(gates.map((g) => [g.key, g.passed, g.detail])).toEqual([
      ["previous_stage", true, "Deployed successfully to Staging"],
      ["branch", true, "Any branch"],
      ["soak", true, "Soaked 30 min in Staging"],
      ["approvals", true, "2 of 2 approvals (Priya Nair, Sam Lee)"],
      ["rejection", true, "No rejection"],
      ["checklist", true, "The required item is ticked"],
      ["checks", true, "No checks required"],
      ["freeze", true, "No freeze window active"],
    ]);
    expect(gatesPass(gates)).toBe(true);
    expect(failingGates(gates)).toEqual([]);
  });

  it("passes everything for the first stage of a plain pipeline", () => {
    const gates = evaluateGates({
      now: NOW,
      release: { authorId: null },
      environment: { name: "Development", requiredApprovals: 0, preventSelfApproval: false, soakMinutes: 0 },
      previous: null,
      approvals: [],
      checklist: [],
      freezeWindows: [],
    });
    expect(gates.map((g) => [g.key, g.passed, g.detail])).toEqual([
      ["previous_stage", true, "First stage: releases enter here"],
      ["branch", true, "Any branch"],
      ["soak", true, "First stage: releases enter here"],
      ["approvals", true, "No approval required"],
      ["rejection", true, "No rejection"],
      ["checklist", true, "No checklist"],
      ["checks", true, "No checks required"],
      ["freeze", true, "No freeze window active"],
    ]);
  });
});

describe("previous stage", () => {
  it.each([
    ["first stage", { previous: null }, true, "First stage: releases enter here"],
    ["deployed", {}, true, "Deployed successfully to Staging"],
    [
      "not deployed",
      { previous: { name: "Staging", succeededAt: null } },
      false,
      "Not yet deployed successfully to Staging",
    ],
  ] satisfies [string, Partial<GateInput>, boolean, string][])("%s", (_, overrides, passed, detail) => {
    expect(gate("previous_stage", overrides)).toEqual({ passed, detail });
  });
});

describe("soak", () => {
  const staging = (minutes: number | null) => ({
    previous: { name: "Staging", succeededAt: minutes === null ? null : minutesAgo(minutes) },
  });

  it.each([
    ["first stage", { previous: null }, true, "First stage: releases enter here"],
    ["no soak time", { environment: environment({ soakMinutes: 0 }), ...staging(0) }, true, "No soak time"],
    ["not deployed yet", staging(null), false, "Soaks 30 min in Staging once deployed there"],
    ["just deployed", staging(0), false, "Soaking in Staging: 30 min left of 30"],
    ["partly soaked", staging(18), false, "Soaking in Staging: 12 min left of 30"],
    [
      "partial minute rounds up",
      { ...staging(0), now: new Date(NOW.getTime() + 90_000) },
      false,
      "Soaking in Staging: 29 min left of 30",
    ],
    [
      "one millisecond short",
      { ...staging(30), now: new Date(NOW.getTime() - 1) },
      false,
      "Soaking in Staging: 1 min left of 30",
    ],
    ["exactly elapsed", staging(30), true, "Soaked 30 min in Staging"],
    ["long ago", staging(600), true, "Soaked 30 min in Staging"],
    ["clock behind the deploy", staging(-5), false, "Soaking in Staging: 30 min left of 30"],
    [
      "hours",
      { environment: environment({ soakMinutes: 24 * 60 }), ...staging(55) },
      false,
      "Soaking in Staging: 23 h 5 min left of 24 h",
    ],
    [
      "hours, soaked",
      { environment: environment({ soakMinutes: 90 }), ...staging(90) },
      true,
      "Soaked 1 h 30 min in Staging",
    ],
  ] satisfies [string, Partial<GateInput>, boolean, string][])("%s", (_, overrides, passed, detail) => {
    expect(gate("soak", overrides)).toEqual({ passed, detail });
  });
});

describe("approvals", () => {
  const priya = approval("u-priya", "Priya Nair");
  const sam = approval("u-sam", "Sam Lee");
  const jo = approval("u-jo", "Jo Kim");
  const self = approval(AUTHOR, "Alex Author");
  const outsider = approval("u-dev", "Dana Dev", { mayApprove: false });
  const outsider2 = approval("u-dev2", "Eli Dev", { mayApprove: false });
  const prevent = (requiredApprovals: number, preventSelfApproval = true) =>
    environment({ requiredApprovals, preventSelfApproval });

  it.each([
    ["none required", { environment: prevent(0), approvals: [] }, true, "No approval required"],
    ["none required, some given", { environment: prevent(0), approvals: [priya] }, true, "No approval required"],
    ["none given", { approvals: [] }, false, "0 of 2 approvals"],
    ["one of two", { approvals: [priya] }, false, "1 of 2 approvals (Priya Nair)"],
    ["exactly met", { approvals: [priya, sam] }, true, "2 of 2 approvals (Priya Nair, Sam Lee)"],
    [
      "more than required",
      { approvals: [priya, sam, jo] },
      true,
      "3 approvals, 2 required (Priya Nair, Sam Lee, Jo Kim)",
    ],
    ["one required, singular", { environment: prevent(1), approvals: [] }, false, "0 of 1 approval"],
    [
      "self-approval not counted where prevented",
      { approvals: [priya, self] },
      false,
      "1 of 2 approvals (Priya Nair); the author's own approval does not count here",
    ],
    [
      "self-approval not counted even when it would complete the count",
      { environment: prevent(1), approvals: [self] },
      false,
      "0 of 1 approval; the author's own approval does not count here",
    ],
    [
      "self-approval counted where allowed",
      { environment: prevent(2, false), approvals: [priya, self] },
      true,
      "2 of 2 approvals (Priya Nair, Alex Author)",
    ],
    [
      "a release without an author: nobody is the author",
      { release: { authorId: null }, approvals: [priya, self] },
      true,
      "2 of 2 approvals (Priya Nair, Alex Author)",
    ],
    [
      "unauthorized approver ignored",
      { approvals: [priya, outsider] },
      false,
      "1 of 2 approvals (Priya Nair); approval by Dana Dev does not count (may not approve in Production)",
    ],
    [
      "several unauthorized approvers ignored",
      { approvals: [priya, sam, outsider, outsider2] },
      true,
      "2 of 2 approvals (Priya Nair, Sam Lee); approvals by Dana Dev and Eli Dev do not count (may not approve in Production)",
    ],
    [
      "an unauthorized author counts as unauthorized",
      { approvals: [priya, { ...self, mayApprove: false }] },
      false,
      "1 of 2 approvals (Priya Nair); approval by Alex Author does not count (may not approve in Production)",
    ],
    [
      "self and unauthorized together",
      { approvals: [self, outsider] },
      false,
      "0 of 2 approvals; the author's own approval does not count here; approval by Dana Dev does not count (may not approve in Production)",
    ],
    [
      "rejections are not approvals",
      { approvals: [priya, rejection("u-sam", "Sam Lee")] },
      false,
      "1 of 2 approvals (Priya Nair)",
    ],
    [
      "only a user's latest decision counts",
      {
        approvals: [
          approval("u-sam", "Sam Lee", { decidedAt: minutesAgo(1) }),
          rejection("u-sam", "Sam Lee", { decidedAt: minutesAgo(5) }),
          priya,
        ],
      },
      true,
      "2 of 2 approvals (Priya Nair, Sam Lee)",
    ],
    [
      "one user approving twice counts once",
      { approvals: [priya, approval("u-priya", "Priya Nair", { decidedAt: minutesAgo(2) })] },
      false,
      "1 of 2 approvals (Priya Nair)",
    ],
  ] satisfies [string, Partial<GateInput>, boolean, string][])("%s", (_, overrides, passed, detail) => {
    expect(gate("approvals", overrides)).toEqual({ passed, detail });
  });
});

describe("rejection", () => {
  it.each([
    ["none", {}, true, "No rejection"],
    [
      "one",
      { approvals: [rejection("u-priya", "Priya Nair")] },
      false,
      "Rejected by Priya Nair; blocks until withdrawn",
    ],
    [
      "several, oldest first",
      {
        approvals: [
          rejection("u-sam", "Sam Lee", { decidedAt: minutesAgo(1) }),
          rejection("u-jo", "Jo Kim", { decidedAt: minutesAgo(9) }),
          rejection("u-priya", "Priya Nair", { decidedAt: minutesAgo(5) }),
        ],
      },
      false,
      "Rejected by Jo Kim, Priya Nair and Sam Lee; blocks until withdrawn",
    ],
    [
      "blocks even when approvals are met",
      { approvals: [approval("u-priya", "Priya Nair"), approval("u-sam", "Sam Lee"), rejection("u-jo", "Jo Kim")] },
      false,
      "Rejected by Jo Kim; blocks until withdrawn",
    ],
    [
      "by the author",
      { approvals: [rejection(AUTHOR, "Alex Author")] },
      false,
      "Rejected by Alex Author; blocks until withdrawn",
    ],
    [
      "by someone who may not approve",
      { approvals: [rejection("u-dev", "Dana Dev", { mayApprove: false })] },
      true,
      "No rejection (rejection by Dana Dev does not count: may not approve in Production)",
    ],
    [
      "by two who may not approve",
      {
        approvals: [
          rejection("u-dev", "Dana Dev", { mayApprove: false }),
          rejection("u-eli", "Eli Dev", { mayApprove: false }),
        ],
      },
      true,
      "No rejection (rejections by Dana Dev and Eli Dev do not count: may not approve in Production)",
    ],
    [
      "withdrawn by changing the decision to an approval",
      {
        approvals: [
          rejection("u-priya", "Priya Nair", { decidedAt: minutesAgo(30) }),
          approval("u-priya", "Priya Nair", { decidedAt: minutesAgo(3) }),
        ],
      },
      true,
      "No rejection",
    ],
  ] satisfies [string, Partial<GateInput>, boolean, string][])("%s", (_, overrides, passed, detail) => {
    expect(gate("rejection", overrides)).toEqual({ passed, detail });
  });
});

describe("checklist", () => {
  const item = (label: string, required: boolean, checked: boolean) => ({ label, required, checked });

  it.each([
    ["no checklist", [], true, "No checklist"],
    ["only optional items", [item("Notes", false, false)], true, "No required items"],
    ["the one required item ticked", [item("Smoke test", true, true)], true, "The required item is ticked"],
    [
      "all required ticked, optional open",
      [item("Smoke test", true, true), item("Load test", true, true), item("Notes", false, false)],
      true,
      "All 2 required items ticked",
    ],
    [
      "one required open",
      [item("Smoke test", true, true), item("Load test", true, false)],
      false,
      "1 required item not ticked: Load test",
    ],
    [
      "three required open",
      [
        item("Load test", true, false),
        item("Smoke test", true, false),
        item("Sign-off", true, false),
        item("Notes", false, false),
      ],
      false,
      "3 required items not ticked: Load test, Smoke test, Sign-off",
    ],
    [
      "five required open",
      ["A", "B", "C", "D", "E"].map((label) => item(label, true, false)),
      false,
      "5 required items not ticked: A, B, C and 2 more",
    ],
  ] satisfies [string, GateInput["checklist"], boolean, string][])("%s", (_, checklist, passed, detail) => {
    expect(gate("checklist", { checklist })).toEqual({ passed, detail });
  });
});

describe("freeze", () => {
  it.each([
    ["no windows", { freezeWindows: [] }, true, "No freeze window active"],
    ["outside the weekend", {}, true, "No freeze window active"],
    [
      "Saturday",
      { now: new Date("2026-06-13T10:00:00.000Z") },
      false,
      "Frozen until Mon 08:00 Europe/Paris: Weekend freeze",
    ],
    ["Monday 08:00 exactly", { now: new Date("2026-06-15T06:00:00.000Z") }, true, "No freeze window active"],
    [
      "a one-off window",
      {
        now: new Date("2026-12-24T12:00:00.000Z"),
        freezeWindows: [
          {
            kind: "one_off",
            reason: "Holiday freeze",
            timeZone: "UTC",
            startsAt: new Date("2026-12-20T00:00:00.000Z"),
            endsAt: new Date("2027-01-04T08:00:00.000Z"),
          },
        ],
      },
      false,
      "Frozen until Mon 4 Jan 2027 08:00 UTC: Holiday freeze",
    ],
  ] satisfies [string, Partial<GateInput>, boolean, string][])("%s", (_, overrides, passed, detail) => {
    expect(gate("freeze", overrides)).toEqual({ passed, detail });
  });
});

describe("combinations", () => {
  const saturday = new Date("2026-06-13T10:00:00.000Z");

  it.each([
    ["ready", {}, []],
    ["not deployed before", { previous: { name: "Staging", succeededAt: null } }, ["previous_stage", "soak"]],
    [
      "soaking and short of approvals",
      { previous: { name: "Staging", succeededAt: minutesAgo(5) }, approvals: [] },
      ["soak", "approvals"],
    ],
    [
      "rejected with open items",
      {
        approvals: [approval("u-priya", "Priya Nair"), rejection("u-sam", "Sam Lee")],
        checklist: [{ label: "Load test", required: true, checked: false }],
      },
      ["approvals", "rejection", "checklist"],
    ],
    [
      "frozen only",
      { now: saturday, previous: { name: "Staging", succeededAt: new Date("2026-06-12T08:00:00.000Z") } },
      ["freeze"],
    ],
    [
      "everything at once",
      {
        now: saturday,
        previous: { name: "Staging", succeededAt: null },
        approvals: [rejection("u-priya", "Priya Nair")],
        checklist: [{ label: "Load test", required: true, checked: false }],
        release: { authorId: AUTHOR, branch: "feature/x" },
        environment: environment({ allowedBranches: ["main"], requiredChecks: ["e2e"] }),
      },
      ["previous_stage", "branch", "soak", "approvals", "rejection", "checklist", "checks", "freeze"],
    ],
  ] satisfies [string, Partial<GateInput>, GateKey[]][])("%s", (_, overrides, failing) => {
    const gates = evaluateGates(input(overrides));
    expect(failingGates(gates).map((g) => g.key)).toEqual(failing);
    expect(gatesPass(gates)).toBe(failing.length === 0);
    expect(onlyFreezeFails(gates)).toBe(failing.length === 1 && failing[0] === "freeze");
  });
});

describe("readinessLabel", () => {
  const gate = (key: GateKey, passed: boolean) => ({ key, passed, detail: "" });
  it("says 'Ready to promote' only when every gate passes", () => {
    expect(readinessLabel(GATE_KEYS.map((key) => gate(key, true)))).toBe("Ready to promote");
    expect(readinessLabel(GATE_KEYS.map((key) => gate(key, key !== "approvals")))).toBe("Waiting for Approvals");
    expect(readinessLabel(GATE_KEYS.map((key) => gate(key, key !== "soak" && key !== "freeze")))).toBe(
      "Waiting for Soak time, No freeze",
    );
  });
});

describe("branch rule gate", () => {
  const rule = { allowedBranches: ["main", "release/*"] };
  it("passes any branch, and no branch, without a rule", () => {
    expect(gate("branch", { release: { authorId: AUTHOR, branch: null } })).toEqual({
      passed: true,
      detail: "Any branch",
    });
  });

  it("passes a release built from a branch the environment takes, and says so", () => {
    expect(
      gate("branch", { release: { authorId: AUTHOR, branch: "release/2.1" }, environment: environment(rule) }),
    ).toEqual({ passed: true, detail: "Built from release/2.1; Production takes main, release/*" });
  });

  it("fails one from another branch, naming both", () => {
    expect(
      gate("branch", { release: { authorId: AUTHOR, branch: "feature/x" }, environment: environment(rule) }),
    ).toEqual({ passed: false, detail: "Built from feature/x; Production takes main, release/*" });
  });

  it("fails a release without a branch where there is a rule", () => {
    expect(gate("branch", { release: { authorId: AUTHOR }, environment: environment(rule) })).toEqual({
      passed: false,
      detail: "Built from no named branch; Production takes main, release/*",
    });
  });
});

describe("required checks gate", () => {
  const required = environment({ requiredChecks: ["unit-tests", "e2e", "lint", "smoke"] });
  const url = "https://ci.example/runs/1";

  it("passes when nothing is required", () => {
    expect(gate("checks", { checks: [{ name: "e2e", status: "failure", url: null }] })).toEqual({
      passed: true,
      detail: "No checks required",
    });
  });

  it("passes when every required check succeeded, whatever others say", () => {
    const checks = ["unit-tests", "e2e", "lint", "smoke"].map((name) => ({ name, status: "success" as const, url }));
    expect(
      gate("checks", { environment: required, checks: [...checks, { name: "extra", status: "failure", url: null }] }),
    ).toEqual({ passed: true, detail: "All 4 required checks passed" });
    expect(
      gate("checks", {
        environment: environment({ requiredChecks: ["e2e"] }),
        checks: [{ name: "e2e", status: "success", url }],
      }),
    ).toEqual({ passed: true, detail: "e2e passed" });
  });

  it("names what is failing, pending and missing, in the environment's order", () => {
    const result = evaluateGates(
      input({
        environment: required,
        checks: [
          { name: "e2e", status: "failure", url },
          { name: "unit-tests", status: "success", url },
          { name: "lint", status: "pending", url: null },
        ],
      }),
    ).find((g) => g.key === "checks");
    expect(result).toEqual({
      key: "checks",
      passed: false,
      detail: "Waiting for e2e (failing), lint (pending), smoke (not reported)",
      checks: [
        { name: "unit-tests", status: "success", url },
        { name: "e2e", status: "failure", url },
        { name: "lint", status: "pending", url: null },
        { name: "smoke", status: "missing", url: null },
      ],
    });
  });

  it("lists at most three and counts the rest", () => {
    expect(
      gate("checks", { environment: environment({ requiredChecks: ["a", "b", "c", "d", "e"] }), checks: [] }).detail,
    ).toBe("Waiting for a (not reported), b (not reported), c (not reported) and 2 more");
  });
});

describe("timeOpensGatesAt", () => {
  const friday17 = new Date("2026-06-12T15:00:00.000Z"); // Friday 17:00 in Paris, inside the weekend freeze
  const mondayEight = new Date("2026-06-15T06:00:00.000Z"); // Monday 08:00 in Paris

  it("is null when every gate passes, or when a gate fails that time does not open", () => {
    expect(timeOpensGatesAt(input())).toBeNull();
    expect(timeOpensGatesAt(input({ approvals: [] }))).toBeNull();
    // soaking, but an approval is missing too: the approval's event asks again
    expect(
      timeOpensGatesAt(input({ previous: { name: "Staging", succeededAt: minutesAgo(10) }, approvals: [] })),
    ).toBeNull();
    // never deployed to the stage before: no soak has started
    expect(timeOpensGatesAt(input({ previous: { name: "Staging", succeededAt: null } }))).toBeNull();
  });

  it("is the end of the soak when only the soak holds", () => {
    expect(timeOpensGatesAt(input({ previous: { name: "Staging", succeededAt: minutesAgo(10) } }))).toEqual(
      new Date(NOW.getTime() + 20 * 60_000),
    );
  });

  it("is the end of the freeze, followed through the weekend, when only the freeze holds", () => {
    expect(timeOpensGatesAt(input({ now: friday17 }))).toEqual(mondayEight);
  });

  it("is the later of the two when both hold", () => {
    const longSoak = { name: "Production", requiredApprovals: 2, preventSelfApproval: true, soakMinutes: 5 * 24 * 60 };
    const soakedFrom = new Date(friday17.getTime() - 60 * 60_000);
    expect(
      timeOpensGatesAt(
        input({ now: friday17, environment: longSoak, previous: { name: "Staging", succeededAt: soakedFrom } }),
      ),
    ).toEqual(new Date(soakedFrom.getTime() + 5 * 24 * 60 * 60_000));
    const shortSoak = { ...longSoak, soakMinutes: 120 };
    expect(
      timeOpensGatesAt(
        input({ now: friday17, environment: shortSoak, previous: { name: "Staging", succeededAt: soakedFrom } }),
      ),
    ).toEqual(mondayEight);
  });
});
