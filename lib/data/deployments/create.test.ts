import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../test/reset";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { ConflictError } from "../errors";
import { promoteRelease } from "../promotion/promote";

// A deployment and its deploy job are written in one transaction (lib/queue/send.ts): a
// committed deployment always has exactly one job, and a rolled-back one never has one.

const jobsFor = async (deploymentId: string) =>
  db().$queryRaw<{ name: string; data: { deploymentId: string } }[]>`
    select name, data from pgboss.job where singleton_key = ${deploymentId}`;

describe("deployments and their jobs, in one transaction", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
    await db().checklistTemplateItem.updateMany({ data: { required: false } });
  });

  it("a committed promotion has exactly one deploy job, naming its deployment", async () => {
    const release = await releaseAt(world, null, [world.env.development]);
    const { deploymentId } = await promoteRelease(world.developer, {
      releaseId: release.id,
      environmentKey: "staging",
    });
    expect(await jobsFor(deploymentId)).toEqual([{ name: "deploy", data: { deploymentId } }]);
  });

  it("a promotion rolled back with the caller's transaction leaves neither a deployment nor a job", async () => {
    const release = await releaseAt(world, null, [world.env.development]);
    const jobsBefore = (await db().$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job`)[0]!.n;
    let deploymentId = "";
    await expect(
      db().$transaction(async (tx) => {
        ({ deploymentId } = await promoteRelease(
          world.developer,
          { releaseId: release.id, environmentKey: "staging" },
          { tx },
        ));
        throw new Error("the caller changes its mind");
      }),
    ).rejects.toThrow("the caller changes its mind");
    expect(deploymentId).not.toBe("");
    expect(await db().deployment.count({ where: { id: deploymentId } })).toBe(0);
    expect(await jobsFor(deploymentId)).toEqual([]);
    expect((await db().$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job`)[0]!.n).toBe(jobsBefore);
  });

  it("a refused promotion sends nothing", async () => {
    // production needs two approvals: the gates refuse
    const release = await releaseAt(world, null, [world.env.development, world.env.staging]);
    const jobsBefore = (await db().$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job`)[0]!.n;
    await expect(
      promoteRelease(world.manager, { releaseId: release.id, environmentKey: "production" }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await db().$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job`)[0]!.n).toBe(jobsBefore);
  });
});
