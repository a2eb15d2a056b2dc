import { beforeEach, describe, expect, it } from "vitest";
import type { UserActor } from "../domain/access";
import { actorWith, userWithRoles } from "../test/actors";
import { resetDatabase } from "../test/reset";
import { getEnvironment, listEnvironments } from "./environments/read";
import { NotFoundError } from "./errors";
import { insertFixture } from "../test/pipeline.fixture";
import { getPipelineOverview } from "./pipeline/overview";
import { getRelease, listReleases } from "./releases/read";

// environment.view decides which environments exist for a user: the reads leave the others
// out everywhere (columns, stages, deployments) rather than refusing the whole page.

let f: Awaited<ReturnType<typeof insertFixture>>;

beforeEach(async () => {
  await resetDatabase();
  f = await insertFixture();
});

describe("a user who may view staging and production only", () => {
  let viewer: UserActor;
  beforeEach(async () => {
    viewer = await actorWith(["environment.view"], [f.staging.id, f.production.id]);
  });

  it("sees only those columns on the pipeline", async () => {
    const { environments, pipeline } = await getPipelineOverview(viewer);
    expect(environments.map((e) => e.key)).toEqual(["staging", "production"]);
    expect(pipeline.rows).not.toHaveLength(0);
    for (const row of pipeline.rows)
      expect(row.cells.map((c) => c.environmentId)).toEqual([f.staging.id, f.production.id]);
  });

  it("sees only those environments in the environment list", async () => {
    expect((await listEnvironments(viewer)).map((e) => e.key)).toEqual(["staging", "production"]);
  });

  it("sees only those stages on the releases list", async () => {
    const list = await listReleases(viewer);
    expect(list.environments.map((e) => e.key)).toEqual(["staging", "production"]);
    expect(list.items).toHaveLength(6);
    for (const item of list.items)
      expect(item.stages.map((s) => s.environmentId)).toEqual([f.staging.id, f.production.id]);
  });

  it("sees only those stages on a release page, and none of its development deployments", async () => {
    const release = await getRelease(viewer, f.s250.id);
    expect(release.path.map((s) => [s.environment.key, s.state, s.attempts])).toEqual([
      ["staging", "live", 2],
      ["production", "next", 0],
    ]);
    // 2.5.0 also ran in development: that attempt is not shown
    expect(release.deployments.map((d) => d.status)).toEqual(["succeeded", "failed"]);
    expect(release.deployments.map((d) => d.environmentId)).not.toContain(f.development.id);
  });

  it("gets NotFoundError for development, as for an environment that does not exist", async () => {
    await expect(getEnvironment(viewer, "development")).rejects.toBeInstanceOf(NotFoundError);
    const staging = await getEnvironment(viewer, "staging");
    // its neighbour in the pipeline is the next visible one
    expect(staging).toMatchObject({ key: "staging", previous: null, next: { key: "production" } });
  });
});

describe("a user with no roles", () => {
  let nobody: UserActor;
  beforeEach(async () => {
    nobody = await userWithRoles([]);
  });

  it("sees an empty pipeline", async () => {
    const { environments, pipeline } = await getPipelineOverview(nobody);
    expect(environments).toEqual([]);
    for (const row of pipeline.rows) expect(row.cells).toEqual([]);
    expect(pipeline.summary).toMatchObject({ waiting: 0, inProgress: 0, failing: 0, promotions: [] });
  });

  it("sees no environments and no stages", async () => {
    expect(await listEnvironments(nobody)).toEqual([]);
    const list = await listReleases(nobody);
    expect(list.environments).toEqual([]);
    for (const item of list.items) expect(item.stages).toEqual([]);
  });

  it("sees a release page without stages or deployments", async () => {
    const release = await getRelease(nobody, f.s250.id);
    expect(release).toMatchObject({ version: "2.5.0", path: [], deployments: [] });
  });

  it("gets NotFoundError for every environment", async () => {
    for (const key of ["development", "staging", "production"])
      await expect(getEnvironment(nobody, key)).rejects.toBeInstanceOf(NotFoundError);
  });
});
