import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { actorWith, fullAccessActor } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { NotFoundError, ValidationError } from "../errors";
import { compareEnvironments, driftJson, type EnvironmentDrift } from "./compare";

// Two environments side by side: what runs per application and how many releases apart, the
// flags whose state differs, and the settings, checklist items and deploy targets that differ.
// The data is this file's own: staging and production, a development stage before them and a
// "vault" stage most viewers may not see.

const T0 = new Date("2026-03-02T09:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let admin: UserActor;
let viewer: UserActor;
let drift: EnvironmentDrift;
const env: Record<string, { id: string; key: string }> = {};

async function application(key: string, versions: string[]) {
  const app = await db().application.create({ data: { key, name: key[0]!.toUpperCase() + key.slice(1) } });
  const releases: Record<string, { id: string; applicationId: string }> = {};
  for (const [i, version] of versions.entries())
    releases[version] = await db().release.create({
      data: { applicationId: app.id, version, commitSha: "0123456789abcdef", title: version, createdAt: at(i * 10) },
      select: { id: true, applicationId: true },
    });
  return { app, releases };
}

async function deploy(
  release: { id: string; applicationId: string },
  environmentKey: string,
  status: "SUCCEEDED" | "FAILED" | "RUNNING",
  minute: number,
  extra: object = {},
) {
  await db().deployment.create({
    data: {
      releaseId: release.id,
      applicationId: release.applicationId,
      environmentId: env[environmentKey]!.id,
      status,
      queuedAt: at(minute),
      startedAt: at(minute),
      finishedAt: status === "RUNNING" ? null : at(minute + 1),
      ...extra,
    },
  });
}

async function flag(key: string, states: Record<string, object>, archived = false) {
  const f = await db().featureFlag.create({
    data: { key, name: `Flag ${key}`, category: "drift", archivedAt: archived ? new Date() : null },
  });
  for (const [environmentKey, state] of Object.entries(states))
    await db().flagState.create({ data: { flagId: f.id, environmentId: env[environmentKey]!.id, ...state } });
}

beforeAll(async () => {
  await resetDatabase();
  const stages = [
    { key: "development", name: "Development", position: 0 },
    {
      key: "staging",
      name: "Staging",
      position: 1,
      healthChecks: [
        {
          kind: "http",
          name: "up",
          url: "/healthz",
          expectedStatus: 200,
          timeoutSeconds: 5,
          intervalSeconds: 30,
          failuresAllowed: 2,
        },
      ],
    },
    {
      key: "production",
      name: "Production",
      position: 2,
      protected: true,
      requiredApprovals: 2,
      rolloutStrategy: "CANARY" as const,
      rolloutSteps: [
        { percent: 5, pauseSeconds: 300 },
        { percent: 100, pauseSeconds: 0 },
      ],
      flagChangeApprovals: 1,
      healthChecks: [
        {
          kind: "http",
          name: "up",
          url: "/healthz",
          expectedStatus: 200,
          timeoutSeconds: 5,
          intervalSeconds: 30,
          failuresAllowed: 2,
        },
      ],
    },
    { key: "vault", name: "Vault", position: 3, requiredApprovals: 5 },
  ];
  for (const data of stages) env[data.key] = await db().environment.create({ data, select: { id: true, key: true } });

  // ahead: staging runs 1.4, production 1.1 (a failed 1.3 there does not count) → 3 ahead
  const ahead = await application("ahead", ["1.0", "1.1", "1.2", "1.3", "1.4"]);
  await deploy(ahead.releases["1.0"]!, "production", "SUCCEEDED", 100);
  await deploy(ahead.releases["1.1"]!, "production", "SUCCEEDED", 110);
  await deploy(ahead.releases["1.3"]!, "production", "FAILED", 120);
  await deploy(ahead.releases["1.2"]!, "staging", "SUCCEEDED", 100);
  await deploy(ahead.releases["1.4"]!, "staging", "SUCCEEDED", 130);
  // the vault runs something else still: it must not count
  await deploy(ahead.releases["1.0"]!, "vault", "SUCCEEDED", 140);
  // behind: production got 3.2 (a hotfix), staging still runs 3.0 → staging 2 behind
  const behind = await application("behind", ["3.0", "3.1", "3.2"]);
  await deploy(behind.releases["3.0"]!, "staging", "SUCCEEDED", 100);
  await deploy(behind.releases["3.2"]!, "production", "SUCCEEDED", 105);
  // equal: both run 2.0 (production redeployed it after 2.1 was rolled back by a rollback deployment)
  const equal = await application("equal", ["2.0", "2.1"]);
  await deploy(equal.releases["2.0"]!, "staging", "SUCCEEDED", 100);
  await deploy(equal.releases["2.1"]!, "production", "SUCCEEDED", 101);
  await deploy(equal.releases["2.0"]!, "production", "SUCCEEDED", 102, { kind: "ROLLBACK" });
  // fresh: only staging has it, and a deploy to production is still running
  const fresh = await application("fresh", ["0.1"]);
  await deploy(fresh.releases["0.1"]!, "staging", "SUCCEEDED", 100);
  await deploy(fresh.releases["0.1"]!, "production", "RUNNING", 101);
  // cut: production's last deploy was interrupted after 5.0 ran: what runs there is unknown
  const cut = await application("cut", ["5.0", "5.1"]);
  await deploy(cut.releases["5.0"]!, "staging", "SUCCEEDED", 100);
  await deploy(cut.releases["5.0"]!, "production", "SUCCEEDED", 101);
  await deploy(cut.releases["5.1"]!, "production", "FAILED", 103, { interruptedAt: at(103) });
  // idle: nowhere yet
  await application("idle", ["0.0.1"]);

  await flag("onlyStaging", { staging: { enabled: true }, production: { enabled: false } });
  await flag("share", {
    staging: { enabled: true, rolloutPercent: 50 },
    production: { enabled: true, rolloutPercent: 10 },
  });
  await flag("targeting", {
    staging: { enabled: true, rules: [{ attribute: "country", operator: "in", values: ["FR", "DE"] }] },
    production: { enabled: true, rules: [{ attribute: "country", operator: "in", values: ["FR"] }] },
  });
  await flag("same", {
    staging: { enabled: true, rolloutPercent: 30 },
    production: { enabled: true, rolloutPercent: 30 },
  });
  await flag("everyone", { staging: { enabled: true, rolloutPercent: 100 }, production: { enabled: true } });
  // no state row in production: off there, as in staging
  await flag("nowhere", { staging: { enabled: false } });
  await flag("archived", { staging: { enabled: true }, production: { enabled: false } }, true);

  const template = (environmentKey: string, name: string, items: object[]) =>
    db().checklistTemplate.create({
      data: {
        environmentId: env[environmentKey]!.id,
        name,
        items: { create: items.map((item, position) => ({ position, ...(item as { label: string }) })) },
      },
    });
  await template("staging", "Testing in staging", [
    { section: "QA", label: "Smoke tests passed" },
    { section: "QA", label: "UAT signed off", required: false },
    { section: "QA", label: "Test data prepared" },
  ]);
  await template("production", "Go-live", [
    { section: "qa", label: "Smoke  tests passed" },
    { section: "QA", label: "UAT signed off", required: true, hint: "by the product owner" },
    { section: "Ops", label: "Database backup verified" },
    // ticked after the deployment: no part of the gate's count
    { section: "Post-deployment", label: "Status page updated", phase: "AFTER" },
  ]);
  await db().freezeWindow.create({
    data: {
      environmentId: env.production!.id,
      kind: "WEEKLY",
      reason: "Weekend",
      timeZone: "Europe/Paris",
      weekday: 5,
      startMinute: 16 * 60,
      durationMinutes: 64 * 60,
    },
  });
  // a one-off window that has ended is no longer in force: not a difference
  await db().freezeWindow.create({
    data: {
      environmentId: env.staging!.id,
      kind: "ONE_OFF",
      reason: "Past",
      startsAt: new Date("2020-01-01T00:00:00Z"),
      endsAt: new Date("2020-01-02T00:00:00Z"),
    },
  });
  await db().deployTarget.create({
    data: {
      applicationId: ahead.app.id,
      environmentId: env.staging!.id,
      provider: "COMMAND",
      config: { command: "./deploy.sh", args: ["staging"] },
    },
  });
  await db().deployTarget.create({
    data: {
      applicationId: ahead.app.id,
      environmentId: env.production!.id,
      provider: "WEBHOOK",
      config: { url: "https://deploy.example.com/hook" },
    },
  });
  // behind: the same provider in both, with other settings (hosts differ by nature): not a difference
  for (const [key, host] of [
    ["staging", "stg"],
    ["production", "prd"],
  ] as const)
    await db().deployTarget.create({
      data: {
        applicationId: behind.app.id,
        environmentId: env[key]!.id,
        provider: "COMMAND",
        config: { command: "./deploy.sh", args: [host] },
      },
    });

  admin = await fullAccessActor();
  viewer = await actorWith(["environment.view"], [env.development!.id, env.staging!.id, env.production!.id]);
  drift = await compareEnvironments(admin, { a: "staging", b: "production" });
});

describe("what runs, and how far apart", () => {
  const app = (key: string) => drift.applications.rows.find((r) => r.application.key === key)!;

  it("counts the releases between them, with the direction", () => {
    expect(app("ahead")).toMatchObject({
      a: { state: "running", version: "1.4" },
      b: { state: "running", version: "1.1" },
      relation: "ahead",
      aheadBy: 3,
      summary: "Staging is 3 releases ahead of Production",
      differs: true,
    });
    expect(app("behind")).toMatchObject({
      a: { version: "3.0" },
      b: { version: "3.2" },
      relation: "behind",
      aheadBy: -2,
      summary: "Staging is 2 releases behind Production",
      differs: true,
    });
  });

  it("sees the same release as equal, whatever the history (a rollback deployment counts as what runs)", () => {
    expect(app("equal")).toMatchObject({
      a: { version: "2.0" },
      b: { version: "2.0" },
      relation: "same",
      aheadBy: 0,
      differs: false,
    });
  });

  it("says where nothing runs yet, and where what runs is unknown", () => {
    expect(app("fresh")).toMatchObject({
      a: { state: "running", version: "0.1" },
      b: { state: "none" },
      relation: "not_deployed",
      aheadBy: null,
      summary: "Production runs nothing yet",
      differs: true,
    });
    expect(app("cut")).toMatchObject({
      b: { state: "unknown", interrupted: "5.1", before: "5.0" },
      relation: "unknown",
      aheadBy: null,
      differs: true,
    });
    expect(app("idle")).toMatchObject({ relation: "neither", differs: false });
  });

  it("reads the other way round with the sign turned", async () => {
    const reversed = await compareEnvironments(admin, { a: "production", b: "staging" });
    const ahead = reversed.applications.rows.find((r) => r.application.key === "ahead")!;
    expect(ahead).toMatchObject({ aheadBy: -3, summary: "Production is 3 releases behind Staging" });
    expect(reversed.applications.count).toBe(drift.applications.count);
  });

  it("counts the applications that differ", () => {
    expect(drift.applications.rows.map((r) => r.application.key)).toEqual([
      "ahead",
      "behind",
      "cut",
      "equal",
      "fresh",
      "idle",
    ]);
    expect(drift.applications).toMatchObject({ identical: false, count: 4 });
  });
});

describe("flags", () => {
  it("reports the switch, the share and the rules that differ, and no flag whose state is the same", () => {
    const differing = drift.flags.rows.filter((r) => r.differs);
    expect(differing.map((r) => [r.key, r.changed])).toEqual([
      ["onlyStaging", ["enabled"]],
      ["share", ["rolloutPercent"]],
      ["targeting", ["rules"]],
    ]);
    expect(drift.flags).toMatchObject({ identical: false, count: 3 });
    const onlyStaging = differing[0]!;
    expect(onlyStaging.a).toMatchObject({ enabled: true, text: "on" });
    expect(onlyStaging.b).toMatchObject({ enabled: false, text: "off" });
    expect(differing[2]!.a.rules).toBe("country in FR, DE");
  });

  it("counts 100 % as everyone, a missing state as off, and leaves archived flags out", () => {
    const keys = drift.flags.rows.map((r) => r.key);
    expect(keys).not.toContain("archived");
    expect(drift.flags.rows.find((r) => r.key === "everyone")!.differs).toBe(false);
    expect(drift.flags.rows.find((r) => r.key === "nowhere")!.differs).toBe(false);
    expect(drift.flags.rows.find((r) => r.key === "same")!.differs).toBe(false);
  });

  it("answers a CI step: flags.identical, flags.count and the differences by key", () => {
    const json = JSON.parse(JSON.stringify(driftJson(drift))) as {
      identical: boolean;
      flags: { identical: boolean; count: number; differences: { key: string }[]; equal: { key: string }[] };
    };
    expect(json.identical).toBe(false);
    expect(json.flags.identical).toBe(false);
    expect(json.flags.count).toBe(3);
    expect(json.flags.differences.map((f) => f.key)).toEqual(["onlyStaging", "share", "targeting"]);
    expect(json.flags.equal.map((f) => f.key).sort()).toEqual(["everyone", "nowhere", "same"]);
  });

  it("finds nothing to report between an environment's flags and equal ones", async () => {
    const calm = await compareEnvironments(admin, { a: "development", b: "vault" });
    expect(calm.flags).toMatchObject({ identical: true, count: 0 });
  });
});

describe("settings", () => {
  const setting = (key: string) => drift.settings.rows.find((r) => r.key === key)!;

  it("marks the gates, rollout and flag approvals that differ, and not those that are equal", () => {
    expect(setting("requiredApprovals")).toMatchObject({ a: 0, b: 2, differs: true });
    expect(setting("protected")).toMatchObject({ differs: true });
    expect(setting("rolloutStrategy")).toMatchObject({ text: { a: "Direct", b: "Canary" }, differs: true });
    expect(setting("rolloutSteps")).toMatchObject({
      text: { a: "One step to 100 %", b: "5 % (5 min) → 100 %" },
      differs: true,
    });
    expect(setting("flagChangeApprovals")).toMatchObject({ a: 0, b: 1, differs: true });
    expect(setting("soakMinutes").differs).toBe(false);
    expect(setting("healthChecks").differs).toBe(false);
    expect(setting("deployQueuePolicy").differs).toBe(false);
  });

  it("compares freeze windows in force and the checklist each requires", () => {
    expect(setting("freezeWindows")).toMatchObject({
      text: { a: "None", b: "Every Friday 16:00 for 2 d 16 h (Europe/Paris): Weekend" },
      differs: true,
    });
    expect(setting("checklist")).toMatchObject({
      text: {
        a: "Testing in staging (before deploying here): 2 of 3 items required",
        b: "Go-live (before deploying here): 3 of 3 items required; 1 ticked during or after the deployment",
      },
      differs: true,
    });
  });

  it("matches checklist items by section and label: added, removed and changed", () => {
    expect(drift.checklist.rows.map((r) => [r.label, r.change])).toEqual([
      ["Smoke tests passed", "same"],
      ["UAT signed off", "changed"],
      ["Test data prepared", "only_a"],
      ["Database backup verified", "only_b"],
      ["Status page updated", "only_b"],
    ]);
    expect(drift.checklist.rows.at(-1)).toMatchObject({ b: { phase: "after", required: true } });
    expect(drift.checklist).toMatchObject({ identical: false, count: 4 });
  });

  it("compares deploy targets by provider, not by their environment's own settings", () => {
    const targets = Object.fromEntries(drift.deployTargets.rows.map((r) => [r.application.key, r]));
    expect(targets.ahead).toMatchObject({ a: { provider: "command" }, b: { provider: "webhook" }, differs: true });
    expect(targets.behind).toMatchObject({ differs: false });
    expect(targets.idle).toMatchObject({ a: null, b: null, differs: false });
  });
});

describe("bad input and hidden environments", () => {
  it("answers 404 for an unknown environment", async () => {
    await expect(compareEnvironments(admin, { a: "staging", b: "nowhere" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers 422 with field messages for the same environment twice, or one missing", async () => {
    const same = await compareEnvironments(admin, { a: "staging", b: "staging" }).catch((e: unknown) => e);
    expect(same).toBeInstanceOf(ValidationError);
    expect((same as ValidationError).fieldErrors).toEqual({ b: ["Choose two different environments"] });
    const missing = await compareEnvironments(admin, { b: "staging" } as never).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationError);
    expect(Object.keys((missing as ValidationError).fieldErrors)).toEqual(["a"]);
    const blank = await compareEnvironments(admin, { a: "staging", b: " " }).catch((e: unknown) => e);
    expect((blank as ValidationError).fieldErrors).toEqual({ b: ["Choose an environment"] });
  });

  it("treats an environment the viewer may not see as unknown, on either side, and never lists it", async () => {
    const hidden = await compareEnvironments(viewer, { a: "staging", b: "vault" }).catch((e: unknown) => e);
    const unknown = await compareEnvironments(viewer, { a: "staging", b: "nowhere" }).catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(unknown).toBeInstanceOf(NotFoundError);
    await expect(compareEnvironments(viewer, { a: "vault", b: "production" })).rejects.toBeInstanceOf(NotFoundError);

    const seen = await compareEnvironments(viewer, { a: "staging", b: "production" });
    expect(seen.environments.map((e) => e.key)).toEqual(["development", "staging", "production"]);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(env.vault!.id);
    expect(text).not.toContain("Vault");
    // what runs in the vault does not change what the viewer is told about staging and production
    expect(seen.applications.rows).toEqual(drift.applications.rows);
  });

  it("is empty-handed for someone with no roles", async () => {
    const nobody = await actorWith([], []);
    await expect(compareEnvironments(nobody, { a: "staging", b: "production" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
