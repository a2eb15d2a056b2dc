import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { UserActor } from "../../domain/access";
import { db } from "../../db";
import { actorWith } from "../../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { copyChecklist } from "../promotion/gate-facts";
import { promoteRelease } from "../promotion/promote";
import { tickDeploymentChecklistItem } from "./checklist-tick";
import { createDeployment } from "./create";
import { deploymentStamp } from "./stamp";
import { getDeployment } from "./view";

// A deployment's "during" and "after" checklist: copied from the environment's template when the
// deployment is queued (never onto the release's gating checklist, never onto a rollback), ticked
// by whoever holds checklist.tick there while it runs or once it ended, each change audited and
// written to the deployment's log. Every test builds its own pipeline on an empty database.

let world: PromotionWorld;

beforeEach(async () => {
  await resetDatabase();
  world = await insertPromotionWorld();
  // staging's own items hold no promotion here; it gains one item for during and one for after
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  const template = await db().checklistTemplate.findUniqueOrThrow({ where: { environmentId: world.env.staging } });
  await db().checklistTemplateItem.createMany({
    data: [
      { templateId: template.id, position: 3, section: "Deployment", phase: "DURING", label: "Run smoke tests" },
      {
        templateId: template.id,
        position: 4,
        section: "Post-deployment",
        phase: "AFTER",
        label: "Notify stakeholders",
      },
    ],
  });
});

/** A release promoted to staging by the developer: a queued deployment with its copies. */
async function promotedToStaging() {
  const release = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, {
    releaseId: release.id,
    environmentKey: "staging",
  });
  const items = await db().deploymentChecklistItem.findMany({ where: { deploymentId }, orderBy: { position: "asc" } });
  const during = items.find((i) => i.phase === "DURING")!;
  const after = items.find((i) => i.phase === "AFTER")!;
  return { release, deploymentId, items, during, after };
}

const setStatus = (id: string, status: "RUNNING" | "SUCCEEDED" | "CANCELLED" | "FAILED") =>
  db().deployment.update({
    where: { id },
    data: { status, startedAt: new Date(), finishedAt: status === "RUNNING" ? null : new Date() },
  });

const events = (action: string) => db().auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });

describe("copies", () => {
  it("a promotion gets the environment's during and after items; the release's checklist keeps only its gate", async () => {
    const { release, items } = await promotedToStaging();
    // the release's copy, made when it became the candidate there (or at its first tick)
    await copyChecklist(db(), release.id, world.env.staging);
    expect(items.map((i) => [i.phase, i.label, i.section, i.checkedAt])).toEqual([
      ["DURING", "Run smoke tests", "Deployment", null],
      ["AFTER", "Notify stakeholders", "Post-deployment", null],
    ]);
    const releaseItems = await db().checklistItem.findMany({
      where: { releaseId: release.id, environmentId: world.env.staging },
      select: { label: true },
      orderBy: { position: "asc" },
    });
    expect(releaseItems.map((i) => i.label)).toEqual([
      "Smoke tests pass",
      "Regression suite green",
      "Screenshots attached",
    ]);
  });

  it("a later template change leaves a deployment's copies as they were", async () => {
    const { deploymentId } = await promotedToStaging();
    await db().checklistTemplateItem.updateMany({ where: { phase: "DURING" }, data: { label: "Renamed" } });
    const labels = (await db().deploymentChecklistItem.findMany({ where: { deploymentId } })).map((i) => i.label);
    expect(labels).toContain("Run smoke tests");
  });

  it("a rollback gets none", async () => {
    const release = await releaseAt(world, null, [world.env.development, world.env.staging]);
    const { id } = await db().$transaction((tx) =>
      createDeployment(tx, {
        releaseId: release.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        strategy: "direct",
        triggeredBy: world.developer,
        queuedAt: new Date(),
        kind: "rollback",
      }),
    );
    expect(await db().deploymentChecklistItem.count({ where: { deploymentId: id } })).toBe(0);
  });
});

describe("ticking", () => {
  it("ticks and unticks a during item while it runs, audited and written to the deployment's log", async () => {
    const { deploymentId, during } = await promotedToStaging();
    await setStatus(deploymentId, "RUNNING");

    const ticked = await tickDeploymentChecklistItem(world.qa, {
      deploymentId,
      itemId: during.id,
      checked: true,
      note: "all green",
    });
    expect(ticked).toMatchObject({ checked: true, note: "all green", changed: true });
    expect(await db().deploymentChecklistItem.findUniqueOrThrow({ where: { id: during.id } })).toMatchObject({
      checkedById: world.qa.id,
      note: "all green",
    });
    const [tick] = await events("deployment.checklist.tick");
    expect(tick).toMatchObject({
      entityType: "DeploymentChecklistItem",
      entityId: during.id,
      environmentId: world.env.staging,
      actorUserId: world.qa.id,
      before: { checked: false },
      after: { checked: true, note: "all green", label: "Run smoke tests", phase: "during", deploymentId },
    });
    const log = await db().deploymentLogLine.findMany({ where: { deploymentId }, select: { line: true } });
    expect(log.map((l) => l.line)).toContainEqual(
      expect.stringMatching(/^Ticked “Run smoke tests” \(during the deployment\) by .*: all green$/),
    );

    // the same tick again changes nothing and records nothing
    expect(
      await tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: during.id, checked: true }),
    ).toMatchObject({ checked: true, note: "all green", changed: false });
    expect(await events("deployment.checklist.tick")).toHaveLength(1);

    await tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: during.id, checked: false });
    expect(await db().deploymentChecklistItem.findUniqueOrThrow({ where: { id: during.id } })).toMatchObject({
      checkedAt: null,
      checkedById: null,
      note: null,
    });
    expect(await events("deployment.checklist.untick")).toHaveLength(1);
  });

  it("shows the items on the deployment's page, with who may tick, and keeps a finished page live while one is open", async () => {
    const { deploymentId, during } = await promotedToStaging();
    await setStatus(deploymentId, "RUNNING");
    await tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: during.id, checked: true });

    const asQa = await getDeployment(world.qa, deploymentId);
    expect(asQa.checklist.mayTick).toBe(true);
    expect(asQa.checklist.during).toMatchObject({ closed: null, items: [{ label: "Run smoke tests", checked: true }] });
    expect(asQa.checklist.during.items[0]!.checkedBy).toBeTruthy();
    expect(asQa.checklist.after.closed).toMatch(/still under way/);
    expect((await getDeployment(world.developer, deploymentId)).checklist.mayTick).toBe(false);

    await setStatus(deploymentId, "SUCCEEDED");
    expect((await deploymentStamp(world.qa, deploymentId)).final).toBe(false);
    // a day after its end, an open item no longer keeps the page polling
    await db().deployment.update({
      where: { id: deploymentId },
      data: { finishedAt: new Date(Date.now() - 90_000_000) },
    });
    expect((await deploymentStamp(world.qa, deploymentId)).final).toBe(true);
    await setStatus(deploymentId, "SUCCEEDED");
    const after = (await getDeployment(world.qa, deploymentId)).checklist.after.items[0]!;
    await tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: after.id, checked: true });
    expect((await deploymentStamp(world.qa, deploymentId)).final).toBe(true);
  });

  it("refuses who lacks checklist.tick there (403, recorded)", async () => {
    const { deploymentId, during } = await promotedToStaging();
    await setStatus(deploymentId, "RUNNING");
    await expect(
      tickDeploymentChecklistItem(world.developer, { deploymentId, itemId: during.id, checked: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const [denied] = await events("authz.denied");
    expect(denied).toMatchObject({ actorUserId: world.developer.id, environmentId: world.env.staging });
    expect(await db().deploymentChecklistItem.findUniqueOrThrow({ where: { id: during.id } })).toMatchObject({
      checkedAt: null,
    });
  });

  it("answers 404 for an unknown deployment, one hidden from the caller, and another deployment's item", async () => {
    const { deploymentId, during } = await promotedToStaging();
    await setStatus(deploymentId, "RUNNING");
    await expect(
      tickDeploymentChecklistItem(world.qa, { deploymentId: randomUUID(), itemId: during.id, checked: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
    // checklist.tick in production only: staging is not even visible
    const elsewhere: UserActor = await actorWith(["environment.view", "checklist.tick"], [world.env.production]);
    await expect(
      tickDeploymentChecklistItem(elsewhere, { deploymentId, itemId: during.id, checked: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const other = await promotedToStaging();
    await expect(
      tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: other.during.id, checked: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers 409 for an after item while it runs, a during item while queued, and anything once cancelled", async () => {
    const { deploymentId, during, after } = await promotedToStaging();
    await expect(
      tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: during.id, checked: true }),
    ).rejects.toThrow(/has not started yet/);
    await setStatus(deploymentId, "RUNNING");
    const refused = tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: after.id, checked: true });
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(/still under way/);

    // once it ended, both may be ticked, even after a failure
    await setStatus(deploymentId, "FAILED");
    await tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: after.id, checked: true });
    await tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: during.id, checked: true });

    const cancelled = await promotedToStaging();
    await setStatus(cancelled.deploymentId, "CANCELLED");
    await expect(
      tickDeploymentChecklistItem(world.qa, {
        deploymentId: cancelled.deploymentId,
        itemId: cancelled.during.id,
        checked: true,
      }),
    ).rejects.toThrow(/cancelled before it started/);
    expect(await events("deployment.checklist.tick")).toHaveLength(2);
  });

  it("answers 422 with field messages for bad input", async () => {
    const { deploymentId, during } = await promotedToStaging();
    await setStatus(deploymentId, "RUNNING");
    const bad = async (input: unknown) => {
      const error: unknown = await tickDeploymentChecklistItem(world.qa, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fieldErrors;
    };
    expect(Object.keys(await bad({ deploymentId, itemId: "nope", checked: true }))).toEqual(["itemId"]);
    expect(Object.keys(await bad({ deploymentId, itemId: during.id, checked: "yes" }))).toEqual(["checked"]);
    expect(Object.keys(await bad({ deploymentId, itemId: during.id, checked: true, note: "x".repeat(501) }))).toEqual([
      "note",
    ]);
    expect(Object.keys(await bad({ deploymentId: 42, itemId: during.id, checked: true }))).toEqual(["deploymentId"]);
  });

  it("two ticks at once make one change and one audit event", async () => {
    const { deploymentId, during } = await promotedToStaging();
    await setStatus(deploymentId, "RUNNING");
    const qa2 = await actorWith(["environment.view", "checklist.tick"], [world.env.staging]);
    const results = await Promise.all([
      tickDeploymentChecklistItem(world.qa, { deploymentId, itemId: during.id, checked: true }),
      tickDeploymentChecklistItem(qa2, { deploymentId, itemId: during.id, checked: true }),
    ]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await events("deployment.checklist.tick")).toHaveLength(1);
    expect(
      await db().deploymentLogLine.count({ where: { deploymentId, line: { startsWith: "Ticked “Run smoke tests”" } } }),
    ).toBe(1);
  });
});
