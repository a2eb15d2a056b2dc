import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { fullAccessActor } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { countQueries, hours, insertFixture } from "../../test/pipeline.fixture";
import { getPipelineOverview } from "./overview";

beforeEach(async () => {
  await resetDatabase();
});

describe("getPipelineOverview", () => {
  it("is empty on an empty database", async () => {
    const overview = await getPipelineOverview(await fullAccessActor());
    expect(overview).toMatchObject({
      environments: [],
      applications: [],
      pipeline: { rows: [], summary: { waiting: 0, promotions: [] } },
    });
  });

  it("shows per application and environment what runs, what waits and what is going on", async () => {
    const f = await insertFixture();
    const { environments, applications, pipeline } = await getPipelineOverview(f.actor);

    expect(environments.map((e) => e.key)).toEqual(["development", "staging", "production"]);
    expect(applications.map((a) => a.key)).toEqual(["payments", "storefront"]);

    const row = (applicationId: string) => pipeline.rows.find((r) => r.applicationId === applicationId)!;
    const storefront = row(f.storefront.id).cells;
    expect(storefront.map((c) => c.state)).toEqual(["waiting", "live", "waiting"]);
    expect(storefront.map((c) => c.live?.release.version)).toEqual(["2.5.0", "2.5.0", "2.4.0"]);
    expect(storefront.map((c) => c.waiting?.release.version ?? null)).toEqual(["2.6.0", null, "2.5.0"]);
    expect(storefront[2]!.waiting).toMatchObject({
      fromEnvironmentId: f.staging.id,
      since: new Date(hours(23).getTime() + 5 * 60_000),
    });
    // staging's earlier failure was fixed by the later successful deploy
    expect(storefront[1]!.failure).toBeNull();

    const payments = row(f.payments.id).cells;
    expect(payments.map((c) => c.state)).toEqual(["deploying", "failed", "empty"]);
    expect(payments[0]!.active).toMatchObject({ status: "running", release: { version: "1.1.0" } });
    expect(payments[1]!.failure).toMatchObject({ status: "failed", release: { version: "1.0.0" } });

    expect(pipeline.summary).toMatchObject({ waiting: 2, inProgress: 1, failing: 1 });
    expect(pipeline.summary.promotions.map((p) => [p.release.version, p.environmentId])).toEqual([
      ["2.5.0", f.production.id],
      ["2.6.0", f.development.id],
    ]);
  });

  it("returns plain values: checked colours and links, lower-case enums, Dates", async () => {
    const f = await insertFixture();
    const { environments } = await getPipelineOverview(f.actor);
    const [development, staging, production] = environments;
    expect(staging!.color).toBe("#64748b"); // "not-a-colour" never reaches a style attribute
    expect(production!.url).toBeNull(); // nor a javascript: URL an href
    expect(production).toMatchObject({ rolloutStrategy: "canary", requiredApprovals: 2, protected: true });
    expect(production!.rolloutSteps).toEqual([
      { percent: 5, pauseSeconds: 300 },
      { percent: 50, pauseSeconds: 600 },
      { percent: 100, pauseSeconds: 0 },
    ]);
    expect(development!.rolloutSteps).toEqual([]);
    const { pipeline } = await getPipelineOverview(f.actor);
    expect(pipeline.rows[0]!.cells[0]!.live?.since).toBeInstanceOf(Date);
  });

  it("uses 4 queries, however many releases and deployments there are", async () => {
    const f = await insertFixture();
    const before = await countQueries(() => getPipelineOverview(f.actor));
    expect(before.queries).toBe(4);

    // a longer history: 40 more releases, each deployed to development
    for (let i = 0; i < 40; i++) {
      const r = await db().release.create({
        data: {
          applicationId: f.payments.id,
          version: `0.${i}.0`,
          title: "old",
          commitSha: "0".repeat(40),
          createdAt: hours(-100 + i),
        },
      });
      await db().deployment.create({
        data: {
          releaseId: r.id,
          applicationId: f.payments.id,
          environmentId: f.development.id,
          status: "SUCCEEDED",
          queuedAt: hours(-100 + i),
          finishedAt: hours(-100 + i),
        },
      });
    }
    const after = await countQueries(() => getPipelineOverview(f.actor));
    expect(after.queries).toBe(4);
    // the older history does not change what runs now
    expect(
      after.result.pipeline.rows.find((r) => r.applicationId === f.payments.id)!.cells[0]!.live?.release.version,
    ).toBe("1.0.0");
  });
});
