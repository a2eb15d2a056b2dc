import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { getEnvironment } from "../environments/read";
import { getRelease, listReleases } from "../releases/read";
import { getPipelineOverview } from "./overview";

// After an interrupted deploy (a crash, or a stop past the grace period) Greenlight does not
// know what runs: the board, the release pages and the environment page say so instead of
// showing the release that ran before, until a later success (a deploy, or a version check).

let world: PromotionWorld;
let before: Awaited<ReturnType<typeof releaseAt>>;
let cut: Awaited<ReturnType<typeof releaseAt>>;
let cutDeploymentId: string;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeEach(async () => {
  await resetDatabase();
  world = await insertPromotionWorld();
  // `before` ran in development and staging an hour ago; `cut` was being deployed to staging
  // ten minutes ago when the worker died
  before = await releaseAt(world, null, [world.env.development, world.env.staging]);
  cut = await releaseAt(world, null, [world.env.development]);
  cutDeploymentId = (
    await db().deployment.create({
      data: {
        releaseId: cut.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "FAILED",
        failureReason: "Interrupted: …",
        queuedAt: minutesAgo(12),
        startedAt: minutesAgo(12),
        finishedAt: minutesAgo(10),
        interruptedAt: minutesAgo(10),
      },
    })
  ).id;
});

const stagingCell = async () => {
  const overview = await getPipelineOverview(world.developer);
  const index = overview.pipeline.environmentIds.indexOf(world.env.staging);
  return overview.pipeline.rows[0]!.cells[index]!;
};

describe("what runs after an interrupted deploy", () => {
  it("the board says unknown, naming the interrupted release, and keeps what ran before apart", async () => {
    const cell = await stagingCell();
    expect(cell.state).toBe("unknown");
    expect(cell.unknown).toMatchObject({
      deploymentId: cutDeploymentId,
      release: { id: cut.id, version: cut.version },
    });
    expect(cell.live?.release.id).toBe(before.id);
    // the other stages are not affected
    const overview = await getPipelineOverview(world.developer);
    expect(overview.pipeline.rows[0]!.cells.filter((c) => c.state === "unknown")).toHaveLength(1);
  });

  it("the release pages: neither the release that ran before nor the interrupted one is 'Live' there", async () => {
    const stagingOf = (release: Awaited<ReturnType<typeof getRelease>>) =>
      release.path.find((s) => s.environmentId === world.env.staging)!;
    const old = stagingOf(await getRelease(world.developer, before.id));
    expect(old.state).toBe("unknown");
    const interrupted = stagingOf(await getRelease(world.developer, cut.id));
    expect(interrupted.state).toBe("unknown");
    // "Staging runs <before>" would be a guess: not said
    expect(interrupted.runningInstead).toBeNull();
    const list = await listReleases(world.developer);
    const stages = list.items.flatMap((i) => i.stages.filter((s) => s.environmentId === world.env.staging));
    expect(stages.map((s) => s.state).sort()).toEqual(["unknown", "unknown"]);
  });

  it("the environment page says unknown for that application", async () => {
    const staging = await getEnvironment(world.developer, "staging");
    expect(staging.applications[0]?.cell).toMatchObject({ state: "unknown", unknown: { release: { id: cut.id } } });
  });

  it("a later success ends it: the cell shows what that deploy put there", async () => {
    await db().deployment.create({
      data: {
        releaseId: cut.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "SUCCEEDED",
        queuedAt: minutesAgo(5),
        startedAt: minutesAgo(5),
        finishedAt: minutesAgo(4),
      },
    });
    const cell = await stagingCell();
    expect(cell.state).not.toBe("unknown");
    expect(cell.unknown).toBeNull();
    expect(cell.live?.release.id).toBe(cut.id);
  });

  it("a deploy that merely failed afterwards does not make it known", async () => {
    await db().deployment.create({
      data: {
        releaseId: cut.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "FAILED",
        failureReason: "exited with code 1",
        queuedAt: minutesAgo(5),
        startedAt: minutesAgo(5),
        finishedAt: minutesAgo(4),
      },
    });
    expect((await stagingCell()).state).toBe("unknown");
  });

  it("an interrupted deploy older than the last success changes nothing", async () => {
    await db().deployment.update({
      where: { id: cutDeploymentId },
      data: { finishedAt: minutesAgo(300), interruptedAt: minutesAgo(300) },
    });
    const cell = await stagingCell();
    expect(cell.unknown).toBeNull();
    expect(cell.live?.release.id).toBe(before.id);
  });
});
