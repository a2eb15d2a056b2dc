import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { decideApproval } from "../data/promotion/approvals";
import { autoPromote, autoPromoteWhatWaits, runScheduledAutoPromotion } from "../data/promotion/auto-promote";
import { deploymentSucceeded } from "../data/deployments/succeeded";
import { deleteFreezeWindow } from "../data/environments/settings";
import { tickChecklistItem } from "../data/promotion/tick";
import { getPromotion } from "../data/promotion/view";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { startWorker, stopWorker as stop, until } from "../test/worker";
import { resetDatabase } from "../test/reset";

// Auto-promotion re-evaluated whenever a gate may open: the passing of time (a soak time or a
// freeze window ending, through a durable job), the last approval, the last tick. With real
// worker processes for the time: nobody is on the page, a worker restarts in between, and two
// workers race for the job.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTE = 60_000;

const deploymentsIn = (releaseId: string, environmentId: string) =>
  db().deployment.findMany({
    where: { releaseId, environmentId },
    select: { id: true, triggeredById: true, queuedAt: true, status: true },
  });
/** auto_promote audit events for the release's deployments into the environment */
const autoPromotions = async (releaseId: string, environmentId: string) => {
  const ids = (await deploymentsIn(releaseId, environmentId)).map((d) => d.id);
  return db().auditEvent.count({ where: { action: "deployment.auto_promote", environmentId, entityId: { in: ids } } });
};
const jobsFor = (releaseId: string) =>
  db().$queryRaw<{ state: string; startAfter: Date }[]>`
    select state::text as state, start_after as "startAfter" from pgboss.job
    where name = 'auto-promote' and data->>'releaseId' = ${releaseId}`;

/** The stage before succeeded `agoMs` ago, recorded as the deploy worker records a success. */
async function succeededAgo(world: PromotionWorld, environmentId: string, agoMs: number) {
  const release = await releaseAt(world, world.developer.id, []);
  const finishedAt = new Date(Date.now() - agoMs);
  await db().$transaction(async (tx) => {
    await tx.deployment.create({
      data: {
        releaseId: release.id,
        applicationId: world.applicationId,
        environmentId,
        status: "SUCCEEDED",
        queuedAt: new Date(finishedAt.getTime() - 5_000),
        startedAt: new Date(finishedAt.getTime() - 4_000),
        finishedAt,
      },
    });
    await deploymentSucceeded(tx, { releaseId: release.id, environmentId });
  });
  return release;
}

describe("auto-promotion when a gate opens", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
    await db().checklistTemplate.deleteMany({});
  });

  it("promotes within a minute of a soak's end with nobody watching, once, across a worker restart", async () => {
    await db().environment.update({ where: { id: world.env.staging }, data: { autoPromote: true, soakMinutes: 1 } });
    // development succeeded 52 s ago: staging's one-minute soak ends 8 s from now
    const release = await succeededAgo(world, world.env.development, 52_000);
    const soakEnds = Date.now() + 8_000;
    // the success found the soak running: no deployment, one job for the moment it ends
    expect(await deploymentsIn(release.id, world.env.staging)).toEqual([]);
    const [job] = await jobsFor(release.id);
    expect(job?.state).toBe("created");
    expect(Math.abs(job!.startAfter.getTime() - soakEnds)).toBeLessThan(2_000);

    // a worker runs while it soaks (its start-up sweep finds the same wait: still one job), then stops
    const first = startWorker();
    await sleep(3_000);
    expect(await deploymentsIn(release.id, world.env.staging)).toEqual([]);
    expect((await jobsFor(release.id)).filter((j) => j.state === "created")).toHaveLength(1);
    await stop(first);

    // the soak ends with no worker running; two start afterwards, as two instances would
    await sleep(Math.max(0, soakEnds - Date.now()) + 2_000);
    expect(await deploymentsIn(release.id, world.env.staging)).toEqual([]);
    const workers = [startWorker(), startWorker()];
    try {
      const deployed = await until(
        () => deploymentsIn(release.id, world.env.staging),
        (rows) => rows.length > 0 && rows[0]!.status === "SUCCEEDED",
        MINUTE,
      );
      expect(deployed).toHaveLength(1);
      expect(deployed[0]!.triggeredById).toBeNull();
      expect(deployed[0]!.queuedAt.getTime() - soakEnds).toBeLessThan(MINUTE);
      expect(deployed[0]!.queuedAt.getTime()).toBeGreaterThanOrEqual(soakEnds - 1_000);
      // both workers had their chance at the job and the sweep: still exactly one, audited once
      await sleep(2_000);
      expect(await deploymentsIn(release.id, world.env.staging)).toHaveLength(1);
      expect(await autoPromotions(release.id, world.env.staging)).toBe(1);
    } finally {
      await Promise.all(workers.map(stop));
    }
  }, 120_000);

  it("a worker that runs through the soak's end promotes by its job, within seconds of the end", async () => {
    await db().environment.update({ where: { id: world.env.staging }, data: { autoPromote: true, soakMinutes: 1 } });
    const worker = startWorker();
    try {
      // give the worker's start-up sweep time to pass before the candidate exists
      await sleep(2_000);
      const release = await succeededAgo(world, world.env.development, 54_000);
      const soakEnds = Date.now() + 6_000;
      await sleep(3_000);
      expect(await deploymentsIn(release.id, world.env.staging)).toEqual([]);
      const deployed = await until(
        () => deploymentsIn(release.id, world.env.staging),
        (rows) => rows.length > 0,
        30_000,
      );
      expect(deployed).toHaveLength(1);
      expect(deployed[0]!.queuedAt.getTime()).toBeGreaterThanOrEqual(soakEnds - 1_000);
      expect(deployed[0]!.queuedAt.getTime() - soakEnds).toBeLessThan(5_000);
      const [job] = await until(
        () => jobsFor(release.id),
        (jobs) => jobs[0]?.state === "completed",
        10_000,
      );
      expect(job?.state).toBe("completed");
    } finally {
      await stop(worker);
    }
  }, 60_000);

  it("a job delivered twice, or raced by two workers, promotes once", async () => {
    await db().environment.update({ where: { id: world.env.staging }, data: { autoPromote: true } });
    const release = await releaseAt(world, world.developer.id, [world.env.development]);
    const made = await Promise.all([
      runScheduledAutoPromotion(release.id, world.env.staging),
      runScheduledAutoPromotion(release.id, world.env.staging),
    ]);
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(await runScheduledAutoPromotion(release.id, world.env.staging)).toBeNull();
    expect(await deploymentsIn(release.id, world.env.staging)).toHaveLength(1);
    expect(await autoPromotions(release.id, world.env.staging)).toBe(1);
  });

  it("a freeze window that holds the candidate gets a job for its end; removing it promotes at once", async () => {
    const endsAt = new Date(Date.now() + 90 * MINUTE);
    await db().environment.update({ where: { id: world.env.staging }, data: { autoPromote: true } });
    const window = await db().freezeWindow.create({
      data: {
        environmentId: world.env.staging,
        kind: "ONE_OFF",
        reason: "Release party",
        timeZone: "UTC",
        startsAt: new Date(Date.now() - MINUTE),
        endsAt,
      },
    });
    const release = await succeededAgo(world, world.env.development, 1_000);
    expect(await deploymentsIn(release.id, world.env.staging)).toEqual([]);
    const jobs = await jobsFor(release.id);
    expect(jobs.map((j) => j.startAfter.getTime())).toEqual([endsAt.getTime()]);
    // the release page says when, so nobody needs to wait on it
    expect((await getPromotion(world.manager, release.id))!.automatic).toEqual({ at: endsAt });
    // asked again (a tick, an approval, the worker's sweep), the same wait adds no second job
    expect(await autoPromoteWhatWaits()).toEqual([]);
    expect(await jobsFor(release.id)).toHaveLength(1);
    // the window removed before its end: the candidate goes at once, and the job finds it gone
    await deleteFreezeWindow(world.manager, { environmentKey: "staging", freezeId: window.id });
    expect(await deploymentsIn(release.id, world.env.staging)).toHaveLength(1);
    expect(await runScheduledAutoPromotion(release.id, world.env.staging)).toBeNull();
    expect(await deploymentsIn(release.id, world.env.staging)).toHaveLength(1);
  });

  it("a job for a release the stage before no longer runs promotes nothing", async () => {
    await db().environment.update({ where: { id: world.env.staging }, data: { autoPromote: true, soakMinutes: 60 } });
    // soaked long enough, but a newer release replaced it in development since
    const older = await releaseAt(world, world.developer.id, []);
    const newer = await releaseAt(world, world.developer.id, []);
    for (const [release, agoMs] of [
      [older, 70 * MINUTE],
      [newer, 5 * MINUTE],
    ] as const)
      await db().deployment.create({
        data: {
          releaseId: release.id,
          applicationId: world.applicationId,
          environmentId: world.env.development,
          status: "SUCCEEDED",
          queuedAt: new Date(Date.now() - agoMs - 5_000),
          finishedAt: new Date(Date.now() - agoMs),
        },
      });
    expect(await runScheduledAutoPromotion(older.id, world.env.staging)).toBeNull();
    expect(await deploymentsIn(older.id, world.env.staging)).toEqual([]);
    // the newer one soaks on: its own job, for its own moment
    expect(await runScheduledAutoPromotion(newer.id, world.env.staging)).toBeNull();
    expect(await jobsFor(older.id)).toEqual([]);
    expect(await jobsFor(newer.id)).toHaveLength(1);
  });

  it("the last approval needed promotes where the stage promotes automatically", async () => {
    await db().environment.update({ where: { id: world.env.production }, data: { autoPromote: true } });
    const release = await releaseAt(world, world.developer.id, [world.env.development, world.env.staging]);
    const approve = (i: number) =>
      decideApproval(world.approvers[i]!, {
        releaseId: release.id,
        environmentKey: "production",
        decision: "approved",
      });
    await approve(0);
    expect(await deploymentsIn(release.id, world.env.production)).toEqual([]);
    await approve(1);
    const [deployment] = await deploymentsIn(release.id, world.env.production);
    expect(deployment?.triggeredById).toBeNull();
    expect(await autoPromotions(release.id, world.env.production)).toBe(1);
  });

  it("the last tick of a checklist promotes, once", async () => {
    await db().checklistTemplate.create({
      data: {
        environmentId: world.env.staging,
        name: "Before staging",
        items: { create: [{ position: 0, label: "Migrations reviewed", required: true }] },
      },
    });
    await db().environment.update({ where: { id: world.env.staging }, data: { autoPromote: true } });
    const release = await succeededAgo(world, world.env.development, 1_000);
    expect(await deploymentsIn(release.id, world.env.staging)).toEqual([]);
    const [item] = await db().checklistItem.findMany({
      where: { releaseId: release.id, environmentId: world.env.staging },
    });
    const qa = world.qa;
    await tickChecklistItem(qa, { releaseId: release.id, environmentKey: "staging", itemId: item!.id, checked: true });
    expect(await deploymentsIn(release.id, world.env.staging)).toHaveLength(1);
    // a promotion that already happened is not made again by the next event
    await expect(autoPromote(release.id, world.env.staging)).resolves.toBeNull();
    expect(await deploymentsIn(release.id, world.env.staging)).toHaveLength(1);
  });
});
