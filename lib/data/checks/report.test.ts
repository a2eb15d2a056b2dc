import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { TokenActor, UserActor } from "../../domain/access";
import { toDbPermission, type Permission } from "../../domain/permissions";
import type { Permission as DbPermission } from "../../generated/prisma/client";
import { actorWith } from "../../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { hashToken, tokenActor } from "../actors/token";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { promoteRelease } from "../promotion/promote";
import { tickChecklistItem } from "../promotion/tick";
import { getPromotion } from "../promotion/view";
import { listChecks } from "./list";
import { reportCheck } from "./report";

// CI checks against a real database: idempotent per release × name, the latest report wins,
// every change audited with the checklist items it ticks, refusals as the matrix says, and the
// Required checks gate that promotion enforces.

const NOBODY = "01234567-89ab-7cde-8f01-23456789abcd";
const RUN = "https://ci.example.test/runs/1";
const audits = (action: string) => db().auditEvent.count({ where: { action } });

/** An API token of `owner` holding `permissions`, resolved as a request resolves it. */
async function tokenOf(
  owner: UserActor,
  permissions: Permission[],
  name = "ci",
  environmentIds?: string[],
): Promise<TokenActor> {
  const plaintext = `glt_${randomBytes(24).toString("base64url")}`;
  await db().apiToken.create({
    data: {
      name,
      ownerId: owner.id,
      prefix: plaintext.slice(0, 8),
      tokenHash: hashToken(plaintext),
      permissions: permissions.map((p) => toDbPermission(p) as DbPermission),
      ...(environmentIds ? { environments: { connect: environmentIds.map((id) => ({ id })) } } : {}),
    },
  });
  const actor = await tokenActor(`Bearer ${plaintext}`);
  if (!actor) throw new Error("the test token did not resolve");
  return actor;
}

describe("CI checks", () => {
  let world: PromotionWorld;
  let ci: TokenActor;
  let release: { id: string };

  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
    const all = Object.values(world.env);
    const owner = await actorWith(["environment.view", "release.check"], all);
    ci = await tokenOf(owner, ["environment.view", "release.check"]);
    release = await releaseAt(world, null, [world.env.development]);
  });

  const report = (body: Record<string, unknown>, actor: TokenActor | UserActor = ci) =>
    reportCheck(actor, { releaseId: release.id, name: "unit-tests", status: "success", url: RUN, ...body });

  it("stores a report once: a repeat changes nothing and writes no audit row", async () => {
    const first = await report({ summary: "412 passed" });
    expect(first).toMatchObject({ created: true, changed: true });
    expect(first.check).toMatchObject({ name: "unit-tests", status: "success", url: RUN, environment: null });
    expect(first.check.reportedBy).toBe("token ci");
    const again = await report({ summary: "412 passed" });
    expect(again).toMatchObject({ created: false, changed: false });
    expect(await db().releaseCheck.count()).toBe(1);
    expect(await audits("release.check.report")).toBe(1);
  });

  it("lets the latest report win, auditing before and after", async () => {
    await report({ status: "pending", url: null });
    await report({ status: "failure" });
    const last = await report({ status: "success", summary: "green at last" });
    expect(last.check).toMatchObject({ status: "success", summary: "green at last" });
    expect(await db().releaseCheck.count()).toBe(1);
    const events = await db().auditEvent.findMany({
      where: { action: "release.check.report" },
      orderBy: { id: "asc" },
      select: { before: true, after: true, actorTokenId: true },
    });
    expect(
      events.map((e) => [
        (e.before as { status?: string } | null)?.status ?? null,
        (e.after as { status: string }).status,
      ]),
    ).toEqual([
      [null, "pending"],
      ["pending", "failure"],
      ["failure", "success"],
    ]);
    expect(events.every((e) => e.actorTokenId === ci.id)).toBe(true);
  });

  it("ends with one row when two reports of the same name arrive at once", async () => {
    const results = await Promise.allSettled([
      report({ status: "failure" }),
      report({ status: "success" }),
      report({ status: "pending" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(await db().releaseCheck.count({ where: { releaseId: release.id, name: "unit-tests" } })).toBe(1);
    expect(results.filter((r) => r.status === "fulfilled" && r.value.created)).toHaveLength(1);
  });

  it("answers 404 for an unknown release and for an environment the caller may not see", async () => {
    await expect(reportCheck(ci, { releaseId: NOBODY, name: "unit-tests", status: "success" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(report({ environment: "nowhere" })).rejects.toBeInstanceOf(NotFoundError);
    // a token limited to staging cannot see production: the environment is unknown to it
    const owner = await actorWith(["environment.view", "release.check"], Object.values(world.env));
    const limited = await tokenOf(owner, ["environment.view", "release.check"], "limited", [world.env.staging]);
    await expect(report({ environment: "production" }, limited)).rejects.toBeInstanceOf(NotFoundError);
    // and the list: unknown or malformed release, or a caller who may view no environment
    await expect(listChecks(ci, NOBODY)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listChecks(ci, "not-an-id")).rejects.toBeInstanceOf(NotFoundError);
    await expect(listChecks(await actorWith([], []), release.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await db().releaseCheck.count()).toBe(0);
  });

  it("refuses malformed input with field messages", async () => {
    const fields = async (body: Record<string, unknown>) => {
      const error = await report(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return Object.keys((error as ValidationError).fieldErrors);
    };
    expect(await fields({ status: "passed" })).toEqual(["status"]);
    expect(await fields({ name: "" })).toEqual(["name"]);
    expect(await fields({ name: "x".repeat(101) })).toEqual(["name"]);
    expect(await fields({ name: "unit tests; drop table" })).toEqual(["name"]);
    expect(await fields({ url: "javascript:alert(1)" })).toEqual(["url"]);
    expect(await fields({ url: "/runs/1" })).toEqual(["url"]);
    expect(await fields({ summary: "x".repeat(1001) })).toEqual(["summary"]);
    expect(await fields({ extra: true })).toEqual(["_"]);
    expect(await db().releaseCheck.count()).toBe(0);
  });

  it("refuses a caller without release.check, on record", async () => {
    const viewer = await actorWith(["environment.view", "release.create"], Object.values(world.env));
    await expect(report({}, viewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(report({ environment: "staging" }, viewer)).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await db().auditEvent.findMany({ where: { action: "authz.denied" }, select: { after: true } });
    expect(denied.map((d) => (d.after as { permission: string; attempted: string }).attempted)).toEqual([
      "release.check.report",
      "release.check.report",
    ]);
    expect(await db().releaseCheck.count()).toBe(0);
  });

  it("a check without an environment needs release.check where releases enter; one with, there", async () => {
    const stagingOnly = await actorWith(["environment.view", "release.check"], [world.env.staging]);
    await expect(report({}, stagingOnly)).rejects.toBeInstanceOf(NotFoundError); // development is hidden to them
    const result = await report({ environment: "staging" }, stagingOnly);
    expect(result.check.environment).toEqual({ key: "staging", name: "Staging" });
  });

  describe("checklist items that name the check", () => {
    beforeEach(async () => {
      const template = await db().checklistTemplate.findUniqueOrThrow({ where: { environmentId: world.env.staging } });
      await db().checklistTemplateItem.updateMany({
        where: { templateId: template.id, label: "Regression suite green" },
        data: { checkName: "e2e", ciOnly: true },
      });
      await db().checklistTemplateItem.updateMany({
        where: { templateId: template.id, label: "Smoke tests pass" },
        data: { checkName: "smoke" },
      });
    });

    const item = async (label: string) => {
      const view = await getPromotion(world.qa, release.id);
      return view!.checklist.find((i) => i.label === label)!;
    };

    it("are ticked by a success (by the token, its link as the note) and unticked by a failure, whoever ticked them", async () => {
      // the release's copy exists (the QA person ticks the smoke item by hand first)
      const smoke = await item("Smoke tests pass");
      await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: smoke.id,
        checked: true,
      });

      await report({ name: "e2e", status: "success" });
      let e2e = await item("Regression suite green");
      expect(e2e).toMatchObject({ checked: true, checkedBy: "token ci", note: RUN, ciOnly: true, checkName: "e2e" });
      expect(e2e.check).toMatchObject({ status: "success", url: RUN });
      const row = await db().checklistItem.findFirstOrThrow({ where: { releaseId: release.id, checkName: "e2e" } });
      expect(row).toMatchObject({ checkedByTokenId: ci.id, checkedById: null });

      await report({ name: "e2e", status: "failure", url: "https://ci.example.test/runs/2" });
      e2e = await item("Regression suite green");
      expect(e2e).toMatchObject({ checked: false, note: null });
      expect(e2e.check).toMatchObject({ status: "failure", url: "https://ci.example.test/runs/2" });

      // a failing smoke run unticks what the person ticked: CI knows best
      await report({ name: "smoke", status: "failure" });
      expect((await item("Smoke tests pass")).checked).toBe(false);

      const trail = await db().auditEvent.findMany({
        where: { action: { in: ["checklist.item.tick", "checklist.item.untick"] } },
        orderBy: { id: "asc" },
        select: { action: true, actorTokenId: true, actorUserId: true },
      });
      expect(trail.map((e) => [e.action, e.actorTokenId ? "ci" : "person"])).toEqual([
        ["checklist.item.tick", "person"],
        ["checklist.item.tick", "ci"],
        ["checklist.item.untick", "ci"],
        ["checklist.item.untick", "ci"],
      ]);
    });

    it("starts ticked when copied after the check already succeeded", async () => {
      expect(await db().checklistItem.count({ where: { releaseId: release.id } })).toBe(0);
      await report({ name: "e2e", status: "success" });
      // not copied yet: the page already shows it ticked
      expect((await item("Regression suite green")).checked).toBe(true);
      // the first tick copies the checklist
      const smoke = await item("Smoke tests pass");
      await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: smoke.id,
        checked: true,
      });
      const copy = await db().checklistItem.findFirstOrThrow({ where: { releaseId: release.id, checkName: "e2e" } });
      expect(copy).toMatchObject({ ciOnly: true, checkedByTokenId: ci.id, note: RUN });
      expect(copy.checkedAt).not.toBeNull();
      expect((await getPromotion(world.qa, release.id))?.passed).toBe(true);
    });

    it("speak only for the environment the check names", async () => {
      const smoke = await item("Smoke tests pass");
      await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: smoke.id,
        checked: true,
      });
      await report({ name: "e2e", status: "success", environment: "production" });
      expect((await item("Regression suite green")).checked).toBe(false);
      await report({ name: "e2e", status: "success", environment: "staging" });
      expect((await item("Regression suite green")).checked).toBe(true);
    });

    it("refuse a person's tick of a CI-only item with 409, and still take one of another item", async () => {
      const e2e = await item("Regression suite green");
      const error = await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: e2e.id,
        checked: true,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain("e2e");
      const smoke = await item("Smoke tests pass");
      await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: smoke.id,
        checked: true,
      });
      expect((await item("Smoke tests pass")).checked).toBe(true);
      expect((await item("Regression suite green")).checked).toBe(false);
    });
  });

  describe("required checks", () => {
    beforeEach(async () => {
      await db().checklistTemplate.deleteMany({});
      await db().environment.update({
        where: { id: world.env.staging },
        data: { requiredChecks: ["unit-tests", "e2e"] },
      });
    });

    it("block promotion until each has succeeded for the environment, naming what is missing", async () => {
      const gate = async () =>
        (await getPromotion(world.developer, release.id))!.gates.find((g) => g.key === "checks")!;
      expect(await gate()).toMatchObject({
        passed: false,
        detail: "Waiting for unit-tests (not reported), e2e (not reported)",
      });
      await report({ name: "unit-tests", status: "success" });
      await report({ name: "e2e", status: "failure" });
      expect((await gate()).detail).toBe("Waiting for e2e (failing)");

      const refused = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ConflictError);
      expect((refused as Error).message).toContain("Required checks: Waiting for e2e (failing)");

      // a success for production does not speak for staging
      await report({ name: "e2e", status: "success", environment: "production" });
      expect((await gate()).passed).toBe(false);
      await report({ name: "e2e", status: "success", environment: "staging" });
      expect(await gate()).toMatchObject({ passed: true, detail: "All 2 required checks passed" });
      const promoted = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
      expect(promoted.environmentKey).toBe("staging");
    });

    it("lists the checks the caller may see", async () => {
      await report({ name: "unit-tests", status: "success" });
      await report({ name: "smoke", status: "pending", environment: "production" });
      expect((await listChecks(ci, release.id)).checks.map((c) => [c.name, c.environment?.key ?? null])).toEqual([
        ["smoke", "production"],
        ["unit-tests", null],
      ]);
      const stagingViewer = await actorWith(["environment.view"], [world.env.staging]);
      expect((await listChecks(stagingViewer, release.id)).checks.map((c) => c.name)).toEqual(["unit-tests"]);
    });
  });
});
