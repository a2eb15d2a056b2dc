import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { actorWith, fullAccessActor } from "../../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { NotFoundError } from "../errors";
import { deploymentStamp } from "./stamp";

// The deployment page polls this fingerprint: it must move with everything the page shows —
// health rounds included, which write neither a log line nor an audit row — say when nothing
// will move any more, and hide a deployment from who may not see its environment.

let world: PromotionWorld;
let deploymentId: string;

beforeEach(async () => {
  await resetDatabase();
  world = await insertPromotionWorld();
  const release = await releaseAt(world, null, []);
  deploymentId = (
    await db().deployment.create({
      data: {
        releaseId: release.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "RUNNING",
        strategy: "CANARY",
        phase: "ANALYSE",
        currentStep: 0,
        trafficPercent: 5,
        startedAt: new Date(),
      },
    })
  ).id;
});

describe("deploymentStamp", () => {
  it("moves with a health measurement, a step and a status change, and says when it is final", async () => {
    const actor = await fullAccessActor();
    const first = await deploymentStamp(actor, deploymentId);
    expect(first.stamp).toMatch(/^[0-9a-f]{16}$/);
    expect(first.final).toBe(false);
    expect(await deploymentStamp(actor, deploymentId)).toEqual(first);

    await db().healthMeasurement.create({
      data: {
        deploymentId,
        step: 0,
        check: "error ratio",
        kind: "prometheus",
        value: 0.01,
        outcome: "SUCCESS",
        message: "ok",
      },
    });
    const measured = await deploymentStamp(actor, deploymentId);
    expect(measured.stamp).not.toBe(first.stamp);

    await db().deploymentStep.create({
      data: { deploymentId, index: 0, action: "traffic", trafficPercent: 5, status: "analysing" },
    });
    const stepped = await deploymentStamp(actor, deploymentId);
    expect(stepped.stamp).not.toBe(measured.stamp);

    await db().deployment.update({
      where: { id: deploymentId },
      data: { status: "SUCCEEDED", phase: "DONE", trafficPercent: 100, finishedAt: new Date() },
    });
    const done = await deploymentStamp(actor, deploymentId);
    expect(done.stamp).not.toBe(stepped.stamp);
    expect(done.final).toBe(true);
  });

  it("is not found for who may not see the environment, for an unknown id and for a malformed one", async () => {
    const outsider = await actorWith(["environment.view"], [world.env.development]);
    await expect(deploymentStamp(outsider, deploymentId)).rejects.toBeInstanceOf(NotFoundError);
    const actor = await fullAccessActor();
    await expect(deploymentStamp(actor, "0196a000-0000-7000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
    await expect(deploymentStamp(actor, "not-an-id")).rejects.toBeInstanceOf(NotFoundError);
  });
});
