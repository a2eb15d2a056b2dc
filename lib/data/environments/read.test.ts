import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../test/reset";
import { db } from "../../db";
import { environmentByKey } from "./by-key";
import { getEnvironment, listEnvironments } from "./read";
import { NotFoundError } from "../errors";
import { countQueries, insertFixture } from "../../test/pipeline.fixture";

beforeEach(async () => {
  await resetDatabase();
});

describe("listEnvironments", () => {
  it("lists the stages in pipeline order in one query", async () => {
    const f = await insertFixture();
    const { result, queries } = await countQueries(() => listEnvironments(f.actor));
    expect(result.map((e) => [e.key, e.position])).toEqual([
      ["development", 0],
      ["staging", 1],
      ["production", 2],
    ]);
    expect(queries).toBe(1);
  });
});

describe("getEnvironment", () => {
  it("returns settings, neighbours, what runs per application and recent deployments", async () => {
    const f = await insertFixture();
    const production = await getEnvironment(f.actor, "production");
    expect(production).toMatchObject({
      name: "Production",
      protected: true,
      requiredApprovals: 2,
      preventSelfApproval: true,
      rolloutStrategy: "canary",
      healthCheck: { path: "/healthz", intervalSeconds: 30, failureThreshold: 3, errorRateThresholdPercent: 2.5 },
      previous: { key: "staging" },
      next: null,
    });
    expect(
      production.applications.map(({ application, cell }) => [
        application.key,
        cell.state,
        cell.live?.release.version ?? null,
        cell.waiting?.release.version ?? null,
      ]),
    ).toEqual([
      ["payments", "empty", null, null],
      ["storefront", "waiting", "2.4.0", "2.5.0"],
    ]);
    expect(production.recentDeployments.map((d) => `${d.application.key} ${d.release.version} ${d.status}`)).toEqual([
      "storefront 2.4.0 succeeded",
      "storefront 2.3.0 succeeded",
    ]);
    expect(production.recentDeployments[0]!.triggeredBy).toEqual({ kind: "user", label: "Ana Ruiz" });
    expect(f.production.id).toBe(production.id);
    // where what runs answers: the address its last successful deployment reported (http only)
    expect(production.applications.map((a) => a.url)).toEqual([null, null]);
    const live = production.recentDeployments[0]!;
    await db().deployment.update({ where: { id: live.id }, data: { serviceUrl: "http://127.0.0.1:41234/" } });
    const again = await getEnvironment(f.actor, "production");
    expect(again.applications.map((a) => [a.application.key, a.url])).toEqual([
      ["payments", null],
      ["storefront", "http://127.0.0.1:41234/"],
    ]);
    await db().deployment.update({ where: { id: live.id }, data: { serviceUrl: "javascript:alert(1)" } });
    expect((await getEnvironment(f.actor, "production")).applications.map((a) => a.url)).toEqual([null, null]);
  });

  it("returns the checklist template, freeze windows still in force and every flag's state here", async () => {
    const f = await insertFixture();
    const production = await getEnvironment(f.actor, "production");
    expect(production.checklist).toMatchObject({
      name: "Production go-live",
      items: [
        {
          position: 1,
          section: "Before",
          label: "Release notes reviewed",
          hint: "by the product owner",
          required: true,
        },
        { position: 2, section: "After", label: "Watch error rates for 30 minutes", required: false },
      ],
    });
    expect(production.freezeWindows.map((w) => [w.kind, w.reason])).toEqual([
      ["one_off", "Year-end"],
      ["weekly", "Weekend"],
    ]);
    expect(production.flags).toEqual([
      expect.objectContaining({ key: "new-checkout", enabled: true, rolloutPercent: 10 }),
      expect.objectContaining({ key: "dark-mode", enabled: false, rolloutPercent: null, updatedAt: null }),
    ]);

    const development = await getEnvironment(f.actor, "development");
    expect(development).toMatchObject({ checklist: null, freezeWindows: [], previous: null, next: { key: "staging" } });
    expect(development.applications.map((a) => a.cell.state)).toEqual(["deploying", "waiting"]);
  });

  it("throws NotFoundError for an unknown key, after one query", async () => {
    const f = await insertFixture();
    const { result } = await countQueries(() => getEnvironment(f.actor, "qa").catch((e: unknown) => e));
    expect(result).toBeInstanceOf(NotFoundError);
    expect((await countQueries(() => getEnvironment(f.actor, "qa").catch(() => null))).queries).toBe(1);
  });

  it("uses 9 queries", async () => {
    const f = await insertFixture();
    expect((await countQueries(() => getEnvironment(f.actor, "staging"))).queries).toBe(9);
  });
});

describe("environment by key", () => {
  it("answers NotFoundError, never a database error, for a key with a NUL byte", async () => {
    await expect(environmentByKey(db(), "prod\0uction")).rejects.toBeInstanceOf(NotFoundError);
    await expect(environmentByKey(db(), "no-such-environment")).rejects.toBeInstanceOf(NotFoundError);
  });
});
