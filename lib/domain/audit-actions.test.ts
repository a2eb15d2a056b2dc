import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ATTEMPTS,
  AUDIT_ACTIONS,
  OPERATIONS_RECORDED_OTHERWISE,
  auditActionLabel,
  auditSentence,
  gateChecklist,
  type AuditEventFacts,
} from "./audit-actions";

// ─── what the code writes ────────────────────────────────────────────────────────────────────

const root = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(relative);
    return /\.tsx?$/.test(entry.name) && !/\.(test|fixture)\.ts$/.test(entry.name) ? [relative] : [];
  });
}

const files = [...sources("lib"), ...sources("app")].map((file) => ({
  file,
  text: readFileSync(path.join(root, file), "utf8"),
}));

const literals = (expression: string) => [...expression.matchAll(/"([a-z_]+(?:\.[a-z_]+)+)"/g)].map((m) => m[1]!);

const NAME = /\bname:\s*("[a-z_.]+"(?:\s*\|\s*"[a-z_.]+")*)/g;
const NAMES = /\bname:\s*("[a-z_.]+"(?:\s*\|\s*"[a-z_.]+")+)/g;

/** Every operation name: `name: "x"` in a defineOperation, or a factory's `name: "x" | "y"` parameter. */
const operationNames = new Set(
  files
    .filter(({ text }) => text.includes("defineOperation("))
    .flatMap(({ text }) => [...text.matchAll(NAME)].flatMap((m) => literals(m[1]!))),
);

/**
 * Every action written: `action: "x"` and `action: ok ? "x" : "y"` (audit() and raw
 * auditEvent.create alike), and `action: name` where a factory's operations record their own
 * name (`name: "user.deactivate" | "user.reactivate"`).
 */
const written = new Set(
  files.flatMap(({ text }) => [
    ...[...text.matchAll(/\baction:\s*([^,\n]+)/g)].flatMap((m) => literals(m[1]!)),
    ...(/\baction:\s*name\b/.test(text) ? [...text.matchAll(NAMES)].flatMap((m) => literals(m[1]!)) : []),
  ]),
);

describe("the list of audit actions", () => {
  it("finds what the code writes (the scan itself works)", () => {
    for (const action of ["authz.denied", "preset.load", "deployment.start", "deployment.succeed", "release.reject"])
      expect(written).toContain(action);
    for (const name of ["deployment.promote", "approval.decide", "user.deactivate", "user.reactivate"])
      expect(operationNames).toContain(name);
  });

  it("holds every action written anywhere, and only those", () => {
    expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect(AUDIT_ACTIONS.filter((a) => !written.has(a))).toEqual([]);
  });

  it("holds every operation's success action: its name, or the actions it records instead", () => {
    for (const name of operationNames) {
      const recorded = OPERATIONS_RECORDED_OTHERWISE[name] ?? [name];
      for (const action of recorded) expect(AUDIT_ACTIONS, name).toContain(action);
    }
    // the exceptions are real operations
    for (const name of Object.keys(OPERATIONS_RECORDED_OTHERWISE)) expect(operationNames).toContain(name);
  });

  it("says what each refused operation was about to do", () => {
    for (const name of [...operationNames, "audit.list", "audit.export"]) expect(ATTEMPTS[name], name).toBeTruthy();
  });

  it("gives each action a label of its own", () => {
    const labels = AUDIT_ACTIONS.map(auditActionLabel);
    for (const [i, label] of labels.entries())
      expect(label, AUDIT_ACTIONS[i]).toMatch(/^[A-Z]\S* [a-z]|^[A-Z][a-z-]+$/);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("labels groups, and actions it does not know by their words", () => {
    expect(auditActionLabel("deployment.")).toBe("Any deployment");
    expect(auditActionLabel("auth.")).toBe("Any sign-in or sign-out");
    expect(auditActionLabel("bulk.")).toBe("Any bulk event");
    expect(auditActionLabel("deployment.succeed")).toBe("Deployment succeeded");
    expect(auditActionLabel("role.delete")).toBe("Role delete");
  });
});

// ─── how events read ─────────────────────────────────────────────────────────────────────────

const GATES = [
  { key: "previous_stage", passed: true, detail: "Deployed successfully to Staging" },
  { key: "soak", passed: true, detail: "Soaked 1 h in Staging" },
  { key: "approvals", passed: true, detail: "1 of 1 approval (Priya)" },
  { key: "rejection", passed: true, detail: "No rejection" },
  { key: "checklist", passed: false, detail: "1 required item not ticked: Smoke tests" },
  { key: "freeze", passed: true, detail: "No freeze window active" },
];

function sentence(facts: Partial<AuditEventFacts> & { action: string }): string {
  return auditSentence({
    actorLabel: "Ana Admin",
    actorKind: "user",
    environment: null,
    entityId: null,
    before: null,
    after: null,
    ...facts,
  });
}

describe("audit sentences", () => {
  it("a promotion names who, what and where, and lists the gates as it saw them", () => {
    expect(
      sentence({
        action: "deployment.promote",
        environment: "Production",
        after: { application: "storefront", version: "2.3.0", environment: "Production", gates: GATES },
      }),
    ).toBe(
      "Ana Admin promoted storefront 2.3.0 to Production. Gates: Previous stage ✓, Soak time ✓, Approvals ✓, " +
        "No rejection ✓, Checklist ✗, No freeze ✓",
    );
    expect(
      sentence({
        action: "deployment.auto_promote",
        actorLabel: "system",
        actorKind: "system",
        after: { application: "storefront", version: "2.3.0", environment: "Development", gates: [] },
      }),
    ).toBe("Greenlight promoted storefront 2.3.0 to Development automatically, every gate passing.");
  });

  it("deployments read as what happened to them", () => {
    const system = { actorLabel: "system", actorKind: "system" as const, environment: "Staging" };
    expect(
      sentence({ ...system, action: "deployment.succeed", after: { status: "succeeded", version: "2.3.0" } }),
    ).toBe("Deployment of 2.3.0 to Staging succeeded");
    expect(sentence({ ...system, action: "deployment.start", after: { status: "running", worker: "w1" } })).toBe(
      "Deployment to Staging started",
    );
    expect(sentence({ ...system, action: "deployment.fail", after: { status: "failed", reason: "exit 1" } })).toBe(
      "Deployment to Staging failed: exit 1",
    );
  });

  it("a deployment's checklist ticks say which item, when in the deployment, and the note", () => {
    const facts = { environment: "Production", actorLabel: "Quentin QA" };
    expect(
      sentence({
        ...facts,
        action: "deployment.checklist.tick",
        after: { checked: true, label: "Run smoke tests", phase: "during", version: "2.3.0", note: "all green" },
      }),
    ).toBe("Quentin QA ticked “Run smoke tests” during the deployment of 2.3.0 to Production: “all green”");
    expect(
      sentence({
        ...facts,
        action: "deployment.checklist.untick",
        after: { checked: false, label: "Notify stakeholders", phase: "after", version: "2.3.0", note: null },
      }),
    ).toBe("Quentin QA unticked “Notify stakeholders” after the deployment of 2.3.0 to Production");
  });

  it("refusals say what was tried and what was missing", () => {
    expect(
      sentence({
        action: "authz.denied",
        actorLabel: "Quentin QA",
        environment: "Production",
        after: { permission: "release.approve", attempted: "approval.decide", environment: "Production" },
      }),
    ).toBe("Quentin QA tried to approve or reject a release and was refused: lacked release.approve in Production");
    expect(sentence({ action: "authz.denied", after: { permission: "audit.view", attempted: "audit.list" } })).toBe(
      "Ana Admin tried to read the audit log and was refused: lacked audit.view",
    );
  });

  it("sign-ins and exports", () => {
    expect(sentence({ action: "auth.sign_in", after: { method: "password" } })).toBe(
      "Ana Admin signed in with email and password",
    );
    expect(
      sentence({
        action: "auth.sign_in.failed",
        actorLabel: "x@y.z",
        after: { email: "x@y.z", reason: "unknown email" },
      }),
    ).toBe("Sign-in as x@y.z refused: unknown email");
    expect(sentence({ action: "audit.export", after: { action: "auth.", from: "2026-03-01", rows: 4 } })).toBe(
      "Ana Admin exported 4 audit events, filtered by action auth., from 2026-03-01",
    );
  });

  it("changes to people, access and settings", () => {
    expect(
      sentence({
        action: "matrix.cell.update",
        before: { role: { name: "QA" }, environment: { name: "Staging" }, level: "read", permissions: ["a", "b"] },
        after: { role: { name: "QA" }, environment: { name: "Staging" }, level: "view", permissions: ["a"] },
      }),
    ).toBe("Ana Admin changed what QA may do in Staging: Read only → View only (removed b)");
    expect(
      sentence({
        action: "environment.update",
        environment: "Staging",
        before: { name: "Staging", soakMinutes: 30, requiredApprovals: 1 },
        after: { name: "Staging", soakMinutes: 60, requiredApprovals: 1 },
      }),
    ).toBe("Ana Admin changed the settings of Staging: soak minutes: 30 → 60");
    expect(
      sentence({
        action: "checklist.item.tick",
        environment: "Staging",
        after: { checked: true, label: "Smoke tests", note: "all green" },
      }),
    ).toBe("Ana Admin ticked “Smoke tests” in Staging: “all green”");
    expect(
      sentence({
        action: "flag.state.update",
        environment: "Production",
        entityId: "new-checkout",
        after: { enabled: true, rolloutPercent: 25 },
      }),
    ).toBe("Ana Admin turned new-checkout on for 25% in Production");
  });

  it("an action it does not know reads as its changes; a long sentence is cut", () => {
    expect(sentence({ action: "token.legacy", before: { revokedAt: null }, after: null })).toBe("Was revoked at: none");
    expect(sentence({ action: "x.y", after: { note: "a".repeat(500) } })).toHaveLength(300);
  });

  it("gates read as a list with their marks", () => {
    expect(gateChecklist(GATES.slice(2, 5))).toBe("Approvals ✓, No rejection ✓, Checklist ✗");
    expect(gateChecklist("not gates")).toBe("");
  });
});
