import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { actorWith } from "../../test/actors";
import { insertPromotionWorld, type PromotionWorld } from "../../test/promotion.fixture";
import { countQueries } from "../../test/pipeline.fixture";
import { resetDatabase } from "../../test/reset";
import { getPromotion } from "./view";
import { getEnvironment } from "../environments/read";
import { RANGE_LIMIT } from "./range";
import { NotFoundError } from "../errors";

// What a promotion brings (or takes away): the releases between what runs in the target
// environment and the release, read through promotion.read in one statement.

const T0 = Date.parse("2026-05-04T08:00:00Z");
let world: PromotionWorld;

/** A release created `minute` minutes after T0, deployed successfully to `succeededIn` (finished at `finishedMinute`). */
async function release(
  version: string,
  minute: number,
  options: { changelog?: string; succeededIn?: string[]; finishedMinute?: number; applicationId?: string } = {},
) {
  const r = await db().release.create({
    data: {
      applicationId: options.applicationId ?? world.applicationId,
      version,
      title: `Release ${version}`,
      commitSha: randomUUID().replaceAll("-", ""),
      changelog: options.changelog ?? "",
      links: [{ label: "Ticket", url: `https://tracker.example/${version}` }],
      createdById: world.developer.id,
      createdAt: new Date(T0 + minute * 60_000),
    },
  });
  for (const environmentId of options.succeededIn ?? [])
    await db().deployment.create({
      data: {
        releaseId: r.id,
        applicationId: r.applicationId,
        environmentId,
        status: "SUCCEEDED",
        queuedAt: new Date(T0 + (options.finishedMinute ?? minute) * 60_000),
        finishedAt: new Date(T0 + ((options.finishedMinute ?? minute) + 1) * 60_000),
      },
    });
  return r;
}

const versions = (range: { releases: { version: string }[] }) => range.releases.map((r) => r.version);

describe("promotion range", () => {
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
  });

  it("lists the releases between what runs in production and this one, newest first, grouped facts counted", async () => {
    const s = world.env.staging;
    const p = world.env.production;
    await db().application.update({
      where: { id: world.applicationId },
      data: { repositoryUrl: "https://github.com/acme/storefront/" },
    });
    await release("2.20.0", 0, { succeededIn: [s, p], changelog: "### Fixed\n- old fix" });
    const running = await release("2.21.0", 10, { succeededIn: [s, p], changelog: "### Added\n- running thing" });
    await release("2.22.0", 20, { succeededIn: [s], changelog: "### Added\n- search\n- filters\n### Fixed\n- typo" });
    await release("2.22.1", 30, {
      succeededIn: [s],
      changelog: "### Fixed\n1. crash on empty cart\n2) price rounding",
    });
    const target = await release("2.23.0", 40, {
      succeededIn: [s],
      changelog: "Intro paragraph, not an entry.\n\n## Changed\n  * checkout layout\n+ wording\n-not an item\n- ",
    });
    // another application's release in the same time span stays out
    const other = await db().application.create({ data: { key: `other-${randomUUID().slice(0, 6)}`, name: "Other" } });
    await release("2.22.5", 25, { applicationId: other.id, changelog: "- elsewhere" });

    const approver = world.approvers[0]!;
    const { result: promotion, queries } = await countQueries(() => getPromotion(approver, target.id));
    expect(promotion!.environment.key).toBe("production");
    const range = promotion!.range;
    expect(range.direction).toBe("forward");
    expect(range.running).toEqual({ id: running.id, version: "2.21.0", commitSha: running.commitSha });
    expect(versions(range)).toEqual(["2.23.0", "2.22.1", "2.22.0"]);
    expect(range.total).toBe(3);
    // 2 (2.22.0 Added) + 1 (Fixed) + 2 (2.22.1) + 2 (2.23.0): paragraphs and "-not an item" are not entries
    expect(range.changes).toBe(7);
    expect(range.compareUrl).toBe(
      `https://github.com/acme/storefront/compare/${running.commitSha}...${target.commitSha}`,
    );
    const newest = range.releases[0]!;
    expect(newest.title).toBe("Release 2.23.0");
    expect(newest.links).toEqual([{ label: "Ticket", url: "https://tracker.example/2.23.0" }]);
    expect(newest.createdBy.kind).toBe("user");
    expect(newest.createdAt.toISOString()).toBe(new Date(T0 + 40 * 60_000).toISOString());
    // the whole promotion read: the next environment with the range (one statement), the gate facts
    expect(queries).toBe(2);
  });

  it("says when nothing runs there yet and lists everything up to this release", async () => {
    await release("0.1.0", 0, { succeededIn: [world.env.development], changelog: "- first" });
    const target = await release("0.2.0", 5, { succeededIn: [world.env.development], changelog: "- second" });
    await release("0.3.0", 10, { changelog: "- later, not included" });
    const promotion = await getPromotion(world.manager, target.id);
    expect(promotion!.environment.key).toBe("staging");
    expect(promotion!.range).toMatchObject({
      direction: "first",
      running: null,
      total: 2,
      changes: 2,
      compareUrl: null,
    });
    expect(versions(promotion!.range)).toEqual(["0.2.0", "0.1.0"]);
  });

  it("shows what promoting an older release takes away (a rollback)", async () => {
    const s = world.env.staging;
    const p = world.env.production;
    const old = await release("3.0.0", 0, { succeededIn: [s, p] });
    await release("3.1.0", 10, { succeededIn: [s, p], changelog: "- a\n- b" });
    await release("3.2.0", 20, { succeededIn: [s, p], finishedMinute: 30, changelog: "- c" });
    // 3.3.0 never reached production: it is not taken away
    await release("3.3.0", 40, { succeededIn: [s] });
    const promotion = await getPromotion(world.manager, old.id, "production");
    expect(promotion!.range.direction).toBe("rollback");
    expect(promotion!.range.running?.version).toBe("3.2.0");
    expect(versions(promotion!.range)).toEqual(["3.2.0", "3.1.0"]);
    expect(promotion!.range.total).toBe(2);
    expect(promotion!.range.changes).toBe(3);
  });

  it("takes what ran last as what runs, even after a rollback to an older release", async () => {
    const p = world.env.production;
    await release("4.0.0", 0, { succeededIn: [p] });
    // 4.1.0 ran, then 4.0.0 was put back later: 4.0.0 runs
    await release("4.1.0", 10, { succeededIn: [p] });
    await db().deployment.create({
      data: {
        releaseId: (await db().release.findFirstOrThrow({ where: { version: "4.0.0" } })).id,
        applicationId: world.applicationId,
        environmentId: p,
        status: "SUCCEEDED",
        kind: "ROLLBACK",
        queuedAt: new Date(T0 + 60 * 60_000),
        finishedAt: new Date(T0 + 61 * 60_000),
      },
    });
    const target = await release("4.2.0", 20);
    const range = (await getPromotion(world.manager, target.id, "production"))!.range;
    expect(range.running?.version).toBe("4.0.0");
    expect(versions(range)).toEqual(["4.2.0", "4.1.0"]);
    const same = (await getPromotion(
      world.manager,
      (await release("4.3.0", 30, { succeededIn: [p], finishedMinute: 90 })).id,
      "production",
    ))!.range;
    expect(same).toMatchObject({ direction: "same", total: 0, releases: [], changes: 0 });
  });

  it(`lists the newest ${RANGE_LIMIT} of a long range and counts all of it`, async () => {
    const p = world.env.production;
    await release("1.0.0", 0, { succeededIn: [p] });
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: randomUUID(),
      applicationId: world.applicationId,
      version: `1.1.${i}`,
      title: `Release 1.1.${i}`,
      commitSha: randomUUID().replaceAll("-", ""),
      changelog: "### Fixed\n- one\n- two",
      // two releases share each createdAt: the id breaks the tie
      createdAt: new Date(T0 + (1 + Math.floor(i / 2)) * 60_000),
    }));
    await db().release.createMany({ data: rows });
    const byOrder = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const newest = byOrder[0]!;
    const { result, queries } = await countQueries(() => getPromotion(world.manager, newest.id, "production"));
    const range = result!.range;
    expect(range.total).toBe(60);
    expect(range.changes).toBe(120);
    expect(range.releases).toHaveLength(RANGE_LIMIT);
    expect(versions(range)).toEqual(byOrder.slice(0, RANGE_LIMIT).map((r) => r.version));
    // the environment asked for by key, the range, the gate facts
    expect(queries).toBe(3);

    // from the middle: only what is older than it and newer than 1.0.0
    const middle = byOrder[30]!;
    const fromMiddle = (await getPromotion(world.manager, middle.id, "production"))!.range;
    expect(fromMiddle.total).toBe(30);
    expect(versions(fromMiddle)).toEqual(byOrder.slice(30).map((r) => r.version));
  });

  it("leaks nothing from an environment the viewer may not see", async () => {
    const s = world.env.staging;
    const p = world.env.production;
    await release("5.0.0", 0, { succeededIn: [s, p] });
    const target = await release("5.1.0", 10, { succeededIn: [s] });
    const stagingOnly = await actorWith(["environment.view"], [s]);
    expect(await getPromotion(stagingOnly, target.id)).toBeNull();
    await expect(getPromotion(stagingOnly, target.id, "production")).rejects.toBeInstanceOf(NotFoundError);
    // asking for staging (visible) shows staging's own range, never production's
    const range = (await getPromotion(stagingOnly, target.id, "staging"))!.range;
    expect(range.direction).toBe("same");
    expect(range.running?.version).toBe("5.1.0");
  });

  it("says what a rollback on the environment page takes away, in the page's one rollback-target statement", async () => {
    const p = world.env.production;
    await release("2.21.0", 10, { succeededIn: [p] });
    // never deployed to production, yet a rollback to 2.21.0 takes them away with 2.23.0
    await release("2.22.0", 20);
    await release("2.22.1", 30);
    await release("2.23.0", 40, { succeededIn: [p] });
    const other = await db().application.create({ data: { key: `other-${randomUUID().slice(0, 6)}`, name: "Other" } });
    await release("2.22.5", 25, { applicationId: other.id });
    const viewer = await actorWith(["environment.view", "deploy.rollback"], Object.values(world.env));
    const production = await getEnvironment(viewer, "production");
    const row = production.applications.find((a) => a.application.id === world.applicationId);
    expect(row?.rollbackTo).toMatchObject({
      version: "2.21.0",
      takesAway: { total: 3, versions: ["2.23.0", "2.22.1", "2.22.0"] },
    });
    // an environment the viewer may not see says nothing
    const outsider = await actorWith(["environment.view"], [world.env.development]);
    await expect(getEnvironment(outsider, "production")).rejects.toBeInstanceOf(NotFoundError);
  });
});
