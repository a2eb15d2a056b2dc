import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { actorWith } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { writeAuditEvent } from "../audit/record";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { archiveFlag, restoreFlag } from "./archive";
import { createFlag, FLAG_EXISTS_MESSAGE, FLAG_KEY_MESSAGE, nameFromKey } from "./create";
import { flagDetail } from "./detail";
import { flagGrid } from "./grid";
import { loadFlagSnapshot } from "./snapshot";
import { updateFlagState } from "./toggle";

// Creating, archiving and reading one flag: flag.manage guards the writes, both are audited, a
// new flag is off everywhere, an archived one is no longer served, and the flag's page never
// shows an environment its reader may not see.

const environments = { staging: "", production: "" };

async function fieldErrorsOf(call: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

beforeAll(async () => {
  await resetDatabase();
  environments.staging = (await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } })).id;
  environments.production = (
    await db().environment.create({ data: { key: "production", name: "Production", position: 2 } })
  ).id;
});

const everywhere = () => [environments.staging, environments.production];

describe("creating a flag", () => {
  it("creates it off in every environment, audited with its fields", async () => {
    const admin = await actorWith(["flag.manage", "environment.view"], everywhere());
    const created = await createFlag(admin, {
      key: "checkoutV2",
      description: "The new checkout",
      category: "Commerce",
      owner: "team-payments",
    });
    expect(created).toEqual({
      key: "checkoutV2",
      name: "Checkout v2",
      description: "The new checkout",
      category: "commerce",
      owner: "team-payments",
      environments: 2,
    });
    const states = await db().flagState.findMany({
      where: { flag: { key: "checkoutV2" } },
      select: { environmentId: true, enabled: true, rolloutPercent: true, rules: true },
    });
    expect(states.map((s) => s.environmentId).sort()).toEqual(everywhere().sort());
    for (const s of states) expect(s).toMatchObject({ enabled: false, rolloutPercent: null, rules: [] });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "flag.create", entityId: "checkoutV2" } });
    expect(event).toMatchObject({ entityType: "FeatureFlag", environmentId: null, actorUserId: admin.id });
    expect(event.after).toEqual({
      key: "checkoutV2",
      name: "Checkout v2",
      description: "The new checkout",
      category: "commerce",
      owner: "team-payments",
    });
    // served, and off, in both environments
    const snapshot = await loadFlagSnapshot();
    for (const key of ["staging", "production"])
      expect(snapshot.environments.get(key)?.flags.get("checkoutV2")).toEqual({
        enabled: false,
        rolloutPercent: null,
        rules: [],
      });
  });

  it("takes the name given, and the category 'general' when none is", async () => {
    const admin = await actorWith(["flag.manage"], []);
    const created = await createFlag(admin, { key: "darkMode", name: "Dark mode", description: "", category: "" });
    expect(created).toMatchObject({ name: "Dark mode", category: "general", description: null, owner: null });
    expect(nameFromKey("new-search.ranking_v2")).toBe("New search ranking v2");
  });

  it("refuses a malformed key or category with a message per field (422), creating nothing", async () => {
    const admin = await actorWith(["flag.manage"], []);
    for (const key of ["Checkout", "1flag", "a", "has space", "x".repeat(65), "a/b"])
      expect(await fieldErrorsOf(createFlag(admin, { key }))).toEqual({ key: [FLAG_KEY_MESSAGE] });
    expect(Object.keys(await fieldErrorsOf(createFlag(admin, { key: "new" })))).toEqual(["key"]);
    expect(Object.keys(await fieldErrorsOf(createFlag(admin, { key: "okKey", category: "two words" })))).toEqual([
      "category",
    ]);
    expect(Object.keys(await fieldErrorsOf(createFlag(admin, { key: "okKey", description: "d".repeat(501) })))).toEqual(
      ["description"],
    );
    expect(await db().featureFlag.count({ where: { key: { in: ["okKey", "Checkout", "1flag"] } } })).toBe(0);
  });

  it("refuses a key that exists, archived or not, on the key field (422)", async () => {
    const admin = await actorWith(["flag.manage"], []);
    await createFlag(admin, { key: "onceOnly" });
    expect(await fieldErrorsOf(createFlag(admin, { key: "onceOnly", name: "Again" }))).toEqual({
      key: [FLAG_EXISTS_MESSAGE],
    });
    await archiveFlag(admin, { flagKey: "onceOnly", reason: "done" });
    expect(await fieldErrorsOf(createFlag(admin, { key: "onceOnly" }))).toEqual({ key: [FLAG_EXISTS_MESSAGE] });
    expect(await db().featureFlag.count({ where: { key: "onceOnly" } })).toBe(1);
  });

  it("refuses someone without flag.manage (403, recorded), even with every environment permission", async () => {
    const toggler = await actorWith(["environment.view", "flag.toggle", "environment.manage"], everywhere());
    await expect(createFlag(toggler, { key: "notMine" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().featureFlag.count({ where: { key: "notMine" } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "authz.denied", actorUserId: toggler.id } })).toBe(1);
  });
});

describe("archiving a flag", () => {
  it("stops serving it, keeps it, audits before and after with the reason; a second time is a 409", async () => {
    const admin = await actorWith(["flag.manage", "environment.view", "flag.toggle"], everywhere());
    await createFlag(admin, { key: "oldPromo" });
    await updateFlagState(admin, { flagKey: "oldPromo", environmentKey: "production", enabled: true });
    expect((await loadFlagSnapshot()).environments.get("production")?.flags.get("oldPromo")?.enabled).toBe(true);

    const archived = await archiveFlag(admin, { flagKey: "oldPromo", reason: "Promo is over" });
    expect(archived.archivedAt).toEqual(expect.any(String));
    const snapshot = await loadFlagSnapshot();
    for (const key of ["staging", "production"])
      expect(snapshot.environments.get(key)?.flags.has("oldPromo")).toBe(false);
    // kept, with its states
    expect(await db().flagState.count({ where: { flag: { key: "oldPromo" } } })).toBe(2);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "flag.archive", entityId: "oldPromo" } });
    expect(event.before).toEqual({ archivedAt: null });
    expect(event.after).toEqual({ archivedAt: archived.archivedAt, reason: "Promo is over" });

    await expect(archiveFlag(admin, { flagKey: "oldPromo", reason: "again" })).rejects.toBeInstanceOf(ConflictError);
    expect(await db().auditEvent.count({ where: { action: "flag.archive", entityId: "oldPromo" } })).toBe(1);
    // the grid marks it, and no one may change it
    expect((await flagGrid(admin)).flags.find((f) => f.key === "oldPromo")?.archived).toBe(true);
    await expect(
      updateFlagState(admin, { flagKey: "oldPromo", environmentKey: "staging", enabled: true }),
    ).rejects.toBeInstanceOf(ConflictError);

    // restored: served again as it was
    await restoreFlag(admin, { flagKey: "oldPromo", reason: "One more week" });
    expect((await loadFlagSnapshot()).environments.get("production")?.flags.get("oldPromo")?.enabled).toBe(true);
    await expect(restoreFlag(admin, { flagKey: "oldPromo", reason: "again" })).rejects.toBeInstanceOf(ConflictError);
  });

  it("needs a reason (422), an existing flag (404) and flag.manage (403)", async () => {
    const admin = await actorWith(["flag.manage"], []);
    await createFlag(admin, { key: "keepMe" });
    expect(Object.keys(await fieldErrorsOf(archiveFlag(admin, { flagKey: "keepMe", reason: "  " })))).toEqual([
      "reason",
    ]);
    await expect(archiveFlag(admin, { flagKey: "noSuchFlag", reason: "x" })).rejects.toBeInstanceOf(NotFoundError);
    const toggler = await actorWith(["environment.view", "flag.toggle"], everywhere());
    await expect(archiveFlag(toggler, { flagKey: "keepMe", reason: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await db().featureFlag.findUniqueOrThrow({ where: { key: "keepMe" } })).archivedAt).toBeNull();
  });
});

describe("a flag's page", () => {
  it("shows states, requests, schedules and history of the environments the reader may see, and nothing else", async () => {
    const admin = await actorWith(["flag.manage", "environment.view", "flag.toggle"], everywhere());
    await createFlag(admin, { key: "searchV3", description: "New ranking", owner: "search team" });
    await updateFlagState(admin, {
      flagKey: "searchV3",
      environmentKey: "staging",
      enabled: true,
      rolloutPercent: 20,
      rules: "country in FR, DE",
    });
    await updateFlagState(admin, { flagKey: "searchV3", environmentKey: "production", enabled: true });
    const flag = await db().featureFlag.findUniqueOrThrow({ where: { key: "searchV3" } });
    for (const [environmentId, reason] of [
      [environments.staging, "Try it in staging"],
      [environments.production, "Secret production plan"],
    ] as const) {
      await db().flagChangeRequest.create({
        data: { flagId: flag.id, environmentId, enabled: false, reason, requiredApprovals: 1, authorId: admin.id },
      });
      await db().scheduledFlagChange.create({
        data: {
          flagId: flag.id,
          environmentId,
          enabled: false,
          runAt: new Date(Date.now() + 3600_000),
          failure: reason,
        },
      });
    }
    // an event of a flag with another key is not this flag's
    await writeAuditEvent(db(), null, {
      action: "flag.create",
      entityType: "FeatureFlag",
      entityId: "searchV",
      after: {},
    });

    const all = await flagDetail(admin, { key: "searchV3" });
    expect(all).toMatchObject({
      description: "New ranking",
      owner: "search team",
      category: "general",
      canManage: true,
    });
    expect(all.environments.map((e) => [e.key, e.state])).toEqual([
      ["staging", { enabled: true, rolloutPercent: 20, rules: "country in FR, DE" }],
      ["production", { enabled: true, rolloutPercent: null, rules: "" }],
    ]);
    expect(all.changeRequests.map((r) => [r.environment.key, r.status, r.author])).toEqual([
      ["production", "pending", admin.name],
      ["staging", "pending", admin.name],
    ]);
    expect(all.scheduled).toHaveLength(2);
    expect(all.history.map((e) => [e.actionLabel, e.environment?.key ?? null])).toEqual([
      ["Flag changed", "production"],
      ["Flag changed", "staging"],
      ["Flag created", null],
    ]);
    expect(all.history[1]?.summary).toContain(
      "turned searchV3 on for 20% and for country in FR, DE in Staging (was off)",
    );

    const qa = await actorWith(["environment.view"], [environments.staging]);
    const seen = await flagDetail(qa, { key: "searchV3" });
    expect(seen.canManage).toBe(false);
    expect(seen.environments.map((e) => e.key)).toEqual(["staging"]);
    expect(seen.changeRequests.map((r) => r.environment.key)).toEqual(["staging"]);
    expect(seen.scheduled.map((s) => s.environment.key)).toEqual(["staging"]);
    expect(seen.history.map((e) => e.environment?.key ?? null)).toEqual(["staging", null]);
    const text = JSON.stringify(seen);
    for (const hidden of ["production", "Production", "Secret production plan", environments.production])
      expect(text).not.toContain(hidden);

    const nobody = await actorWith([], []);
    const bare = await flagDetail(nobody, { key: "searchV3" });
    expect([bare.environments, bare.changeRequests, bare.scheduled]).toEqual([[], [], []]);
    expect(bare.history.map((e) => e.actionLabel)).toEqual(["Flag created"]);
  });

  it("reads an archived flag, and answers 404 for an unknown key", async () => {
    const admin = await actorWith(["flag.manage", "environment.view"], everywhere());
    await createFlag(admin, { key: "gone" });
    await archiveFlag(admin, { flagKey: "gone", reason: "Replaced by searchV3" });
    const detail = await flagDetail(admin, { key: "gone" });
    expect(detail.archivedAt).toBeInstanceOf(Date);
    expect(detail.history[0]?.summary).toMatch(/ archived the flag gone \(no longer served\): “Replaced by searchV3”$/);
    await expect(flagDetail(admin, { key: "neverWas" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
