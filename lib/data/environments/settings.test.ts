import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { fullAccessActor, userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import {
  createFreezeWindow,
  deleteFreezeWindow,
  getEnvironmentSettings,
  updateChecklistTemplate,
  updateEnvironmentSettings,
  type EnvironmentSettingsInput,
} from "./settings";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { loadPreset } from "../../presets/load";

// Seed 001 (Ledgerline): Dev → Staging → Production. Admin holds every permission everywhere;
// the product owner never holds environment.manage; QA manages staging only.

let admin: UserActor;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "001-ledgerline", { password: "pw-for-tests" });
  admin = await userWithRoles(["admin"]);
});

const order = async () =>
  (await db().environment.findMany({ orderBy: { position: "asc" }, select: { key: true, position: true } })).map(
    (e) => `${e.position}:${e.key}`,
  );

async function settingsPage(actor: UserActor, key: string) {
  const page = await getEnvironmentSettings(actor, key);
  if (!page.allowed) throw new Error(`${key} settings refused`);
  return page;
}

const audits = (action: string) =>
  db().auditEvent.findMany({ where: { action }, orderBy: [{ at: "asc" }, { id: "asc" }] });

async function settingsOf(key: string): Promise<EnvironmentSettingsInput> {
  const e = await db().environment.findUniqueOrThrow({ where: { key } });
  return {
    environmentKey: key,
    name: e.name,
    description: e.description,
    color: e.color,
    url: e.url,
    protected: e.protected,
    requiredApprovals: e.requiredApprovals,
    preventSelfApproval: e.preventSelfApproval,
    soakMinutes: e.soakMinutes,
    autoPromote: e.autoPromote,
    requireSecondFactor: e.requireSecondFactor,
    secondFactorMaxAgeMinutes: e.secondFactorMaxAgeMinutes,
    position: e.position,
  };
}

async function fieldErrorsOf(run: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

describe("environment.update", () => {
  it("saves the gates and settings, with an audit row of before and after", async () => {
    const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    const result = await updateEnvironmentSettings(admin, {
      ...(await settingsOf("staging")),
      name: " QA stage ",
      description: "",
      color: "#1D4ED8",
      url: "https://staging.ledgerline.example",
      protected: true,
      requiredApprovals: "2",
      preventSelfApproval: true,
      soakMinutes: 45,
      autoPromote: false,
    });
    expect(result).toMatchObject({
      key: "staging",
      name: "QA stage",
      description: null,
      color: "#1d4ed8",
      url: "https://staging.ledgerline.example",
      protected: true,
      requiredApprovals: 2,
      preventSelfApproval: true,
      soakMinutes: 45,
      autoPromote: false,
      position: 1,
    });
    const [row] = await audits("environment.update");
    expect(row).toMatchObject({
      entityType: "Environment",
      entityId: staging.id,
      environmentId: staging.id,
      actorUserId: admin.id,
    });
    expect(row!.before).toMatchObject({ name: "Staging", requiredApprovals: 0, autoPromote: true, position: 1 });
    expect(row!.after).toMatchObject({ name: "QA stage", requiredApprovals: 2, autoPromote: false, position: 1 });
    expect(await order()).toEqual(["0:development", "1:staging", "2:production"]);
  });

  it("moves an environment and shifts the others, keeping positions 0 … n-1", async () => {
    await updateEnvironmentSettings(admin, { ...(await settingsOf("production")), position: 0 });
    expect(await order()).toEqual(["0:production", "1:development", "2:staging"]);
    await updateEnvironmentSettings(admin, { ...(await settingsOf("production")), position: 2 });
    expect(await order()).toEqual(["0:development", "1:staging", "2:production"]);
    await updateEnvironmentSettings(admin, { ...(await settingsOf("development")), position: 1 });
    expect(await order()).toEqual(["0:staging", "1:development", "2:production"]);
    const [first] = await audits("environment.update");
    expect(first!.before).toMatchObject({ position: 2, pipeline: ["development", "staging", "production"] });
    expect(first!.after).toMatchObject({ position: 0, pipeline: ["production", "development", "staging"] });
  });

  it("refuses invalid fields with a message per field and changes nothing", async () => {
    const base = await settingsOf("staging");
    const errors = await fieldErrorsOf(
      updateEnvironmentSettings(admin, {
        ...base,
        name: "",
        color: "orange",
        url: "javascript:alert(1)",
        requiredApprovals: 11,
        soakMinutes: "ten",
        position: 1.5,
        protected: "yes",
      }),
    );
    expect(errors.name).toEqual(["Enter a name"]);
    expect(errors.color).toEqual(["Use a colour like #16a34a"]);
    expect(errors.url).toEqual(["Enter a web address starting with http:// or https://"]);
    expect(errors.requiredApprovals).toEqual(["Use a number from 0 to 10"]);
    expect(errors.soakMinutes).toEqual(["Enter a soak time in minutes"]);
    expect(errors.position).toEqual(["Enter a whole number"]);
    expect(errors.protected).toHaveLength(1);
    expect(
      (await fieldErrorsOf(updateEnvironmentSettings(admin, { ...base, name: "x".repeat(81), soakMinutes: 10081 })))
        .soakMinutes,
    ).toEqual(["Use a number from 0 to 10080"]);
    expect(await fieldErrorsOf(updateEnvironmentSettings(admin, { ...base, position: 3 }))).toEqual({
      position: ["Choose a place from 1 to 3"],
    });
    expect(await audits("environment.update")).toHaveLength(0);
    expect(await settingsOf("staging")).toEqual(base);
  });

  it("asks for a second factor in an environment for as long as set (5 to 1440 minutes), recorded in the audit diff", async () => {
    const base = await settingsOf("production");
    expect(base).toMatchObject({ requireSecondFactor: false, secondFactorMaxAgeMinutes: 720 });
    const errors = await fieldErrorsOf(
      updateEnvironmentSettings(admin, { ...base, requireSecondFactor: "on", secondFactorMaxAgeMinutes: 4 }),
    );
    expect(errors.requireSecondFactor).toEqual(["Say whether actions here need a second factor"]);
    expect(errors.secondFactorMaxAgeMinutes).toEqual(["Use a number from 5 to 1440"]);
    expect(
      (await fieldErrorsOf(updateEnvironmentSettings(admin, { ...base, secondFactorMaxAgeMinutes: "1441" })))
        .secondFactorMaxAgeMinutes,
    ).toEqual(["Use a number from 5 to 1440"]);
    expect(
      (await fieldErrorsOf(updateEnvironmentSettings(admin, { ...base, secondFactorMaxAgeMinutes: "" })))
        .secondFactorMaxAgeMinutes,
    ).toEqual(["Enter how many minutes a second factor stays valid"]);
    expect(await audits("environment.update")).toHaveLength(0);

    const result = await updateEnvironmentSettings(admin, {
      ...base,
      requireSecondFactor: true,
      secondFactorMaxAgeMinutes: "30",
    });
    expect(result).toMatchObject({ requireSecondFactor: true, secondFactorMaxAgeMinutes: 30 });
    const [row] = await audits("environment.update");
    expect(row!.before).toMatchObject({ requireSecondFactor: false, secondFactorMaxAgeMinutes: 720 });
    expect(row!.after).toMatchObject({ requireSecondFactor: true, secondFactorMaxAgeMinutes: 30 });
    // what the settings page and every page showing the environment read
    const page = await settingsPage(admin, "production");
    expect(page.environment.secondFactor).toEqual({ required: true, maxAgeMinutes: 30 });
  });

  it("answers 404 for an unknown environment", async () => {
    await expect(
      updateEnvironmentSettings(admin, { ...(await settingsOf("staging")), environmentKey: "qa" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("leaves unique positions 0 … n-1 after 10 concurrent moves", async () => {
    for (const [i, key] of ["perf", "uat", "canary", "dr"].entries())
      await db().environment.create({ data: { key, name: key.toUpperCase(), position: 3 + i } });
    const actor = await fullAccessActor();
    const keys = ["development", "staging", "production", "perf", "uat", "canary", "dr"];
    const inputs = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => ({
        ...(await settingsOf(keys[i % keys.length]!)),
        position: (i * 3) % keys.length,
      })),
    );
    const results = await Promise.allSettled(inputs.map((input) => updateEnvironmentSettings(actor, input)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const positions = (await db().environment.findMany({ select: { position: true } })).map((e) => e.position);
    expect(positions.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await audits("environment.update")).toHaveLength(10);
  });
});

describe("checklist.template.update", () => {
  async function templateItems(key: string) {
    return db().checklistTemplateItem.findMany({
      where: { template: { environment: { key } } },
      orderBy: { position: "asc" },
    });
  }

  it("updates kept items, deletes missing ones, creates new ones, in the order given", async () => {
    const [first, second, third] = await templateItems("staging");
    // a release's copy of the item about to be removed keeps its label
    const app = await db().application.findFirstOrThrow();
    const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    const release = await db().release.create({
      data: { applicationId: app.id, version: "9.9.9", commitSha: "a".repeat(40), title: "Copy" },
    });
    const copy = await db().checklistItem.create({
      data: {
        releaseId: release.id,
        environmentId: staging.id,
        templateItemId: second!.id,
        position: 1,
        label: second!.label,
      },
    });

    const result = await updateChecklistTemplate(admin, {
      environmentKey: "staging",
      name: "Staging sign-off",
      items: [
        { id: third!.id, section: "Before", label: "Load test passes", hint: "1-5x traffic", required: false },
        { section: "Before", label: "Feature flags reviewed", required: true },
        { id: first!.id, label: first!.label, hint: "", required: true },
      ],
    });
    expect(result.name).toBe("Staging sign-off");
    expect(result.items.map((i) => [i.position, i.section, i.label, i.hint, i.required])).toEqual([
      [0, "Before", "Load test passes", "1-5x traffic", false],
      [1, "Before", "Feature flags reviewed", null, true],
      [2, null, first!.label, null, true],
    ]);
    expect(result.items[0]!.id).toBe(third!.id);
    expect(result.items[2]!.id).toBe(first!.id);
    expect(await templateItems("staging")).toHaveLength(3);
    expect(await db().checklistItem.findUniqueOrThrow({ where: { id: copy.id } })).toMatchObject({
      label: second!.label,
      templateItemId: null,
    });

    const [row] = await audits("checklist.template.update");
    expect(row).toMatchObject({ entityType: "ChecklistTemplate", environmentId: staging.id, actorUserId: admin.id });
    expect((row!.before as { items: unknown[] }).items).toHaveLength(8);
    expect(row!.after).toMatchObject({ name: "Staging sign-off", items: [{ label: "Load test passes" }, {}, {}] });
  });

  it("creates the template of an environment that has none", async () => {
    const result = await updateChecklistTemplate(admin, {
      environmentKey: "development",
      name: "Dev smoke test",
      items: [{ label: "App starts", required: true }],
    });
    expect(result.items.map((i) => i.label)).toEqual(["App starts"]);
    const settings = await settingsPage(admin, "development");
    expect(settings.checklist?.name).toBe("Dev smoke test");
    expect((await audits("checklist.template.update"))[0]!.before).toBeNull();
  });

  it("keeps when the checklist is done: before a release deploys here, or while it runs here", async () => {
    expect((await settingsPage(admin, "staging")).checklist?.timing).toBe("before_exit");
    const result = await updateChecklistTemplate(admin, {
      environmentKey: "development",
      name: "Dev smoke test",
      timing: "before_exit",
      items: [{ label: "App starts", required: true }],
    });
    expect(result.timing).toBe("before_exit");
    await expect(
      updateChecklistTemplate(admin, { environmentKey: "development", name: "x", timing: "later", items: [] }),
    ).rejects.toMatchObject({ fieldErrors: { timing: ["Choose when the checklist is done"] } });
  });

  it("an empty list removes every item", async () => {
    const result = await updateChecklistTemplate(admin, { environmentKey: "staging", name: "Testing", items: [] });
    expect(result.items).toEqual([]);
    expect(await templateItems("staging")).toEqual([]);
    expect((await settingsPage(admin, "staging")).checklist?.items).toEqual([]);
  });

  it("refuses an item of another template, duplicates and invalid items, changing nothing", async () => {
    const [production] = await templateItems("production");
    const [staging] = await templateItems("staging");
    const errors = await fieldErrorsOf(
      updateChecklistTemplate(admin, {
        environmentKey: "staging",
        name: "Testing",
        items: [
          { id: production!.id, label: "Stolen", required: true },
          { id: staging!.id, label: "Once", required: true },
          { id: staging!.id, label: "Twice", required: true },
        ],
      }),
    );
    expect(errors).toEqual({
      "items.0.id": ["This item is not part of this checklist"],
      "items.2.id": ["This item appears twice"],
    });
    const invalid = await fieldErrorsOf(
      updateChecklistTemplate(admin, {
        environmentKey: "staging",
        name: "",
        items: [{ label: " ", hint: "h".repeat(501), required: true }],
      }),
    );
    expect(invalid).toEqual({
      name: ["Name the checklist"],
      "items.0.label": ["Enter the item's text"],
      "items.0.hint": ["Use at most 500 characters"],
    });
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ label: `Item ${i}`, required: true }));
    expect(
      await fieldErrorsOf(updateChecklistTemplate(admin, { environmentKey: "staging", name: "T", items: tooMany })),
    ).toEqual({ items: ["Use at most 100 items"] });
    expect(await templateItems("staging")).toHaveLength(8);
    expect(await audits("checklist.template.update")).toHaveLength(0);
  });
});

describe("freeze windows", () => {
  it("creates a one-off window from local times in its time zone, by the user, audited", async () => {
    const window = await createFreezeWindow(admin, {
      environmentKey: "production",
      kind: "one_off",
      reason: "Year-end close",
      timeZone: "Europe/Paris",
      startsAt: "2099-12-30T18:00",
      endsAt: "2100-01-02T08:00",
    });
    // Paris is UTC+1 in winter
    expect(window).toMatchObject({ kind: "one_off", reason: "Year-end close", timeZone: "Europe/Paris" });
    expect(window.startsAt?.toISOString()).toBe("2099-12-30T17:00:00.000Z");
    expect(window.endsAt?.toISOString()).toBe("2100-01-02T07:00:00.000Z");
    const row = await db().freezeWindow.findUniqueOrThrow({ where: { id: window.id } });
    expect(row.createdById).toBe(admin.id);
    const [event] = await audits("freeze.create");
    expect(event).toMatchObject({ entityType: "FreezeWindow", entityId: window.id, environmentId: row.environmentId });
    expect(event!.after).toMatchObject({ kind: "one_off", startsAt: "2099-12-30T17:00:00.000Z" });
  });

  it("takes ISO instants with an offset as they are, and creates weekly windows", async () => {
    const oneOff = await createFreezeWindow(admin, {
      environmentKey: "staging",
      kind: "one_off",
      reason: "Migration",
      timeZone: "America/New_York",
      startsAt: "2099-06-01T10:00:00Z",
      endsAt: "2099-06-01T12:00:00+01:00",
    });
    expect(oneOff.endsAt?.toISOString()).toBe("2099-06-01T11:00:00.000Z");
    const weekly = await createFreezeWindow(admin, {
      environmentKey: "production",
      kind: "weekly",
      reason: "Weekend",
      timeZone: "Europe/Paris",
      weekday: "5",
      startMinute: 960,
      durationMinutes: 3840,
    });
    expect(weekly).toMatchObject({ kind: "weekly", weekday: 5, startMinute: 960, durationMinutes: 3840 });
    const settings = await settingsPage(admin, "production");
    expect(settings.freezeWindows.map((w) => w.id)).toEqual([weekly.id]);
  });

  it("refuses invalid windows with field messages", async () => {
    const base = { environmentKey: "production", reason: "Freeze", timeZone: "Europe/Paris" };
    expect(
      await fieldErrorsOf(
        createFreezeWindow(admin, {
          ...base,
          kind: "one_off",
          startsAt: "2099-01-02T10:00",
          endsAt: "2099-01-02T09:00",
        }),
      ),
    ).toEqual({ endsAt: ["End the window after it starts"] });
    expect(
      await fieldErrorsOf(
        createFreezeWindow(admin, { ...base, kind: "one_off", startsAt: "2099-02-30T10:00", endsAt: "soon" }),
      ),
    ).toEqual({ startsAt: ["Enter a date and time"], endsAt: ["Enter a date and time"] });
    expect(
      await fieldErrorsOf(
        createFreezeWindow(admin, {
          ...base,
          kind: "one_off",
          startsAt: "2001-01-01T10:00",
          endsAt: "2001-01-01T11:00",
        }),
      ),
    ).toEqual({ endsAt: ["This window has already ended"] });
    const weekly = await fieldErrorsOf(
      createFreezeWindow(admin, {
        ...base,
        reason: "",
        timeZone: "Mars/Olympus",
        kind: "weekly",
        weekday: 7,
        startMinute: 1440,
        durationMinutes: 0,
      }),
    );
    expect(Object.keys(weekly).sort()).toEqual(["durationMinutes", "reason", "startMinute", "timeZone", "weekday"]);
    expect(weekly.timeZone).toEqual(["Choose a time zone from the list"]);
    expect(await fieldErrorsOf(createFreezeWindow(admin, { ...base, kind: "monthly" }))).toEqual({
      kind: ["Choose a one-off or a weekly window"],
    });
    expect(await audits("freeze.create")).toHaveLength(0);
  });

  it("deletes a window of the environment, audited; another environment's window is a 404", async () => {
    const window = await createFreezeWindow(admin, {
      environmentKey: "staging",
      kind: "weekly",
      reason: "Nightly backup",
      timeZone: "UTC",
      weekday: 1,
      startMinute: 120,
      durationMinutes: 60,
    });
    await expect(
      deleteFreezeWindow(admin, { environmentKey: "production", freezeId: window.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      deleteFreezeWindow(admin, { environmentKey: "staging", freezeId: "0190f0f0-0000-7000-8000-000000000000" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await deleteFreezeWindow(admin, { environmentKey: "staging", freezeId: window.id })).toEqual({
      id: window.id,
    });
    expect(await db().freezeWindow.count({ where: { id: window.id } })).toBe(0);
    const [event] = await audits("freeze.delete");
    expect(event).toMatchObject({ entityType: "FreezeWindow", entityId: window.id, after: null });
    expect(event!.before).toMatchObject({ kind: "weekly", reason: "Nightly backup", weekday: 1 });
  });

  it("marks the windows that freeze the environment now", async () => {
    const now = Date.now();
    const window = await createFreezeWindow(admin, {
      environmentKey: "staging",
      kind: "one_off",
      reason: "Incident",
      timeZone: "UTC",
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
    });
    const settings = await settingsPage(admin, "staging");
    expect(settings.activeFreezes).toEqual([{ id: window.id, until: expect.stringMatching(/UTC$/) as unknown }]);
  });
});

describe("who may change settings", () => {
  it("refuses every operation to a role without environment.manage, with an authz.denied row", async () => {
    const po = await userWithRoles(["product_owner"]);
    const window = await createFreezeWindow(admin, {
      environmentKey: "production",
      kind: "weekly",
      reason: "Weekend",
      timeZone: "UTC",
      weekday: 6,
      startMinute: 0,
      durationMinutes: 60,
    });
    // each attempt starts only when awaited: a refusal must never be an unhandled rejection
    const production = await settingsOf("production");
    const attempts: [string, () => Promise<unknown>][] = [
      ["environment.update", () => updateEnvironmentSettings(po, production)],
      [
        "checklist.template.update",
        () => updateChecklistTemplate(po, { environmentKey: "production", name: "X", items: [] }),
      ],
      [
        "freeze.create",
        () =>
          createFreezeWindow(po, {
            environmentKey: "production",
            kind: "weekly",
            reason: "Sunday",
            timeZone: "UTC",
            weekday: 0,
            startMinute: 0,
            durationMinutes: 60,
          }),
      ],
      ["freeze.delete", () => deleteFreezeWindow(po, { environmentKey: "production", freezeId: window.id })],
    ];
    for (const [name, attempt] of attempts) await expect(attempt(), name).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await audits("authz.denied");
    expect(denied.map((d) => (d.after as { attempted: string }).attempted).sort()).toEqual(
      ["checklist.template.update", "environment.update", "freeze.create", "freeze.delete"].sort(),
    );
    expect(denied.every((d) => d.actorUserId === po.id && d.entityId === "environment.manage")).toBe(true);
    expect(await db().freezeWindow.count()).toBe(1);
  });

  it("grants a role environment.manage only where the matrix says (QA: staging, not production)", async () => {
    const qa = await userWithRoles(["qa"]);
    await expect(
      updateEnvironmentSettings(qa, { ...(await settingsOf("staging")), soakMinutes: 15 }),
    ).resolves.toMatchObject({ soakMinutes: 15 });
    await expect(
      updateEnvironmentSettings(qa, { ...(await settingsOf("production")), soakMinutes: 15 }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("reads the settings page: 404 where the user cannot see, refusal where they cannot manage", async () => {
    const qa = await userWithRoles(["qa"]);
    const nobody = await userWithRoles([]);
    await expect(getEnvironmentSettings(nobody, "staging")).rejects.toBeInstanceOf(NotFoundError);
    await expect(getEnvironmentSettings(admin, "nowhere")).rejects.toBeInstanceOf(NotFoundError);
    // QA may view production: it sees the rollout and deploy targets as they are, read-only
    expect(await getEnvironmentSettings(qa, "production")).toMatchObject({
      allowed: false,
      environment: { key: "production", name: "Production" },
      effective: { rollout: { strategy: "blue_green" }, targets: [{ application: { key: "platform" } }] },
    });
    expect(await audits("authz.denied")).toHaveLength(1);
    const page = await settingsPage(qa, "staging");
    expect(page.environment.key).toBe("staging");
    expect(page.pipeline.map((p) => p.key)).toEqual(["development", "staging", "production"]);
    expect(page.checklist?.items).toHaveLength(8);
  });
});
