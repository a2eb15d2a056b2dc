import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { fullAccessActor } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { NotFoundError } from "../errors";
import { countQueries, hours, insertFixture } from "../../test/pipeline.fixture";
import { getRelease, listReleases } from "./read";

beforeEach(async () => {
  await resetDatabase();
});

async function addReleases(applicationId: string, count: number) {
  await db().release.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      applicationId,
      version: `0.${i}.0`,
      title: `Old ${i}`,
      commitSha: "0".repeat(40),
      createdAt: hours(-1000 + i),
    })),
  });
}

describe("listReleases", () => {
  it("is an empty first page on an empty database", async () => {
    expect(await listReleases(await fullAccessActor())).toMatchObject({
      items: [],
      total: 0,
      page: 1,
      pageCount: 1,
      pageSize: 25,
      unknownApplication: null,
    });
  });

  it("lists newest first with where each release stands per environment", async () => {
    const f = await insertFixture();
    const list = await listReleases(f.actor);
    expect(list.total).toBe(6);
    expect(list.items.map((r) => `${r.application.key} ${r.version}`)).toEqual([
      "storefront 2.6.0",
      "payments 1.1.0",
      "storefront 2.5.0",
      "storefront 2.4.0",
      "payments 1.0.0",
      "storefront 2.3.0",
    ]);
    const byVersion = (v: string) => list.items.find((r) => r.version === v)!;
    expect(byVersion("2.6.0").stages.map((s) => s.state)).toEqual(["next", "not_reached", "not_reached"]);
    expect(byVersion("2.5.0").stages.map((s) => s.state)).toEqual(["live", "live", "next"]);
    expect(byVersion("2.4.0").stages.map((s) => s.state)).toEqual(["superseded", "superseded", "live"]);
    expect(byVersion("1.1.0").stages.map((s) => [s.state, s.status])).toEqual([
      ["running", "running"],
      ["not_reached", null],
      ["not_reached", null],
    ]);
    expect(byVersion("1.0.0").stages.map((s) => s.state)).toEqual(["live", "failed", "not_reached"]);
    expect(byVersion("2.5.0").createdBy).toEqual({ kind: "token", label: "token ci-main" });
    expect(byVersion("2.4.0").createdBy).toEqual({ kind: "user", label: "Ana Ruiz" });
    expect(byVersion("2.3.0").createdBy).toEqual({ kind: "system", label: "Greenlight" });
    expect(list.environments.map((e) => e.id)).toEqual([f.development.id, f.staging.id, f.production.id]);
  });

  it("paginates, and clamps a page past the end to the last one", async () => {
    const f = await insertFixture();
    await addReleases(f.payments.id, 24); // 30 in all
    const second = await listReleases(f.actor, { page: 2, pageSize: 25 });
    expect(second).toMatchObject({ page: 2, pageCount: 2, total: 30 });
    expect(second.items).toHaveLength(5);
    expect(second.items.at(-1)!.version).toBe("0.0.0");

    expect(await listReleases(f.actor, { page: 99 })).toMatchObject({ page: 2, total: 30 });
    expect(await listReleases(f.actor, { page: "nonsense", pageSize: "1000" })).toMatchObject({
      page: 1,
      pageSize: 25,
    });
  });

  it("narrows to one application, and says when the application does not exist", async () => {
    const f = await insertFixture();
    const payments = await listReleases(f.actor, { application: "payments" });
    expect(payments.application?.key).toBe("payments");
    expect(payments.items.map((r) => r.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(payments.total).toBe(2);

    expect(await listReleases(f.actor, { application: "nope" })).toMatchObject({
      items: [],
      total: 0,
      unknownApplication: "nope",
      application: null,
    });
  });

  it("uses 6 queries per page, whatever the page and the history", async () => {
    const f = await insertFixture();
    expect((await countQueries(() => listReleases(f.actor))).queries).toBe(6);
    await addReleases(f.storefront.id, 200);
    expect((await countQueries(() => listReleases(f.actor, { page: 5 }))).queries).toBe(6);
    expect((await countQueries(() => listReleases(f.actor, { page: 3, application: "storefront" }))).queries).toBe(6);
  });
});

describe("getRelease", () => {
  it("returns the release, its path through the environments and every attempt", async () => {
    const f = await insertFixture();
    const release = await getRelease(f.actor, f.s250.id);
    expect(release).toMatchObject({
      version: "2.5.0",
      title: "Release 2.5.0",
      changelog: "- Faster checkout\n- Fix coupon rounding",
      application: { key: "storefront", name: "Storefront", repositoryUrl: "https://git.example.com/storefront" },
      createdBy: { kind: "token", label: "token ci-main" },
    });
    // javascript: links and malformed entries are dropped
    expect(release.links).toEqual([{ label: "Pull request", url: "https://git.example.com/storefront/pull/42" }]);

    expect(release.path.map((s) => [s.environment.key, s.state, s.attempts])).toEqual([
      ["development", "live", 1],
      ["staging", "live", 2],
      ["production", "next", 0],
    ]);
    expect(release.path[1]!.latest).toMatchObject({
      status: "succeeded",
      triggeredBy: { kind: "token", label: "token ci-main" },
    });
    expect(release.path[1]!.durationMs).toBe(5 * 60_000);
    expect(release.path[2]!.runningInstead?.version).toBe("2.4.0");

    expect(release.deployments.map((d) => d.status)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(release.deployments[1]!.failureReason).toBe("smoke test failed");
    expect(JSON.stringify(release)).not.toContain("scrypt");
  });

  it("shows a replaced release as such", async () => {
    const f = await insertFixture();
    const release = await getRelease(f.actor, f.s240.id);
    expect(release.path.map((s) => [s.state, s.runningInstead?.version ?? null])).toEqual([
      ["superseded", "2.5.0"],
      ["superseded", "2.5.0"],
      ["live", null],
    ]);
    expect(release.path[2]!.latest?.triggeredBy).toEqual({ kind: "user", label: "Ana Ruiz" });
  });

  it.each([
    "not-a-uuid",
    "",
    "1' or '1'='1",
    "0195f3a0-0000-7000-8000-00000000000",
    "00000000-0000-0000-0000-000000000000",
  ])("throws NotFoundError for %j", async (id) => {
    await expect(getRelease(await fullAccessActor(), id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("throws NotFoundError for a well-formed id that does not exist", async () => {
    const f = await insertFixture();
    await expect(getRelease(f.actor, "0195f3a0-0000-7000-8000-000000000001")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("uses 4 queries, and 1 for an unknown id", async () => {
    const f = await insertFixture();
    expect((await countQueries(() => getRelease(f.actor, f.s250.id))).queries).toBe(4);
    expect(
      (await countQueries(() => getRelease(f.actor, "0195f3a0-0000-7000-8000-000000000001").catch(() => null))).queries,
    ).toBe(1);
    expect((await countQueries(() => getRelease(f.actor, "malformed").catch(() => null))).queries).toBe(0);
  });
});
