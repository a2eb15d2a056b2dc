import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { actorWith, fullAccessActor } from "../../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { getEnvironment } from "../environments/read";
import { cellKey } from "@/lib/domain/pipeline";
import { getPipelineOverview } from "./overview";

// After a rollback an application holds its version in an environment: the board and the
// environment page show it (read with the cells, no query of its own), only where the viewer
// may look. The environment page also says what a rollback would put back, and a rollout that
// is paused or rolling back still counts as under way.

let world: PromotionWorld;

beforeEach(async () => {
  await resetDatabase();
  world = await insertPromotionWorld();
});

describe("holds, rollback targets and rollouts under way", () => {
  it("shows the held version on the board and the environment page, and what a rollback puts back", async () => {
    const older = await releaseAt(world, null, [world.env.staging]);
    const newer = await releaseAt(world, null, []);
    await db().deployment.create({
      data: {
        releaseId: newer.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "SUCCEEDED",
        queuedAt: new Date(Date.now() - 60_000),
        startedAt: new Date(Date.now() - 60_000),
        finishedAt: new Date(Date.now() - 30_000),
      },
    });
    await db().environmentHold.create({
      data: {
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        releaseId: older.id,
        reason: "checkout broke",
      },
    });
    const actor = await fullAccessActor();

    const overview = await getPipelineOverview(actor);
    expect(overview.holds[cellKey(world.applicationId, world.env.staging)]).toMatchObject({
      releaseId: older.id,
      version: older.version,
      reason: "checkout broke",
    });
    expect(Object.keys(overview.holds)).toHaveLength(1);

    const staging = await getEnvironment(actor, "staging");
    const [row] = staging.applications;
    expect(row?.hold?.version).toBe(older.version);
    // the latest success is `newer`: a rollback puts `older` back
    expect(row?.rollbackTo).toEqual({
      releaseId: older.id,
      version: older.version,
      takesAway: { total: 1, versions: [newer.version] },
    });
    const development = await getEnvironment(actor, "development");
    expect(development.applications[0]).toMatchObject({ hold: null, rollbackTo: null });

    // a viewer who may not see staging learns nothing of its hold
    const outsider = await actorWith(["environment.view"], [world.env.development]);
    expect((await getPipelineOverview(outsider)).holds).toEqual({});
  });

  it("counts a paused or rolling-back rollout as a deploy under way", async () => {
    const release = await releaseAt(world, null, [world.env.development]);
    const deployment = await db().deployment.create({
      data: {
        releaseId: release.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "PAUSED",
        strategy: "CANARY",
        phase: "ANALYSE",
        startedAt: new Date(),
      },
    });
    const actor = await fullAccessActor();
    const cell = () =>
      getPipelineOverview(actor).then((o) =>
        o.pipeline.rows[0]!.cells.find((c) => c.environmentId === world.env.staging)!,
      );
    expect(await cell()).toMatchObject({
      state: "deploying",
      active: { deploymentId: deployment.id, status: "paused" },
    });
    await db().deployment.update({ where: { id: deployment.id }, data: { status: "ROLLING_BACK", phase: "ROLLBACK" } });
    expect(await cell()).toMatchObject({ state: "deploying", active: { status: "rolling_back" } });
  });
});
