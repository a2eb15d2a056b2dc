import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { updateEnvironmentSettings, type EnvironmentSettingsInput } from "../environments/settings";
import { ConflictError, ValidationError } from "../errors";
import { createRelease } from "../releases/create";
import { promoteRelease } from "./promote";
import { getPromotion } from "./view";

// Branch rules against a real database: an environment's allowed branches as a gate that
// promotion enforces, the branches it promotes automatically, and the settings that hold them.

describe("branch rules", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
    await db().checklistTemplate.deleteMany({});
  });

  const release = (version: string, branch?: string | null) =>
    createRelease(world.developer, {
      application: "storefront",
      version,
      commitSha: "abcdef1",
      title: `Built from ${(branch ?? "nothing").slice(0, 40)}`,
      changelog: "",
      ...(branch === undefined ? {} : { branch }),
    });

  it("a release names its branch; a malformed one is refused with a field message", async () => {
    const { release: created } = await release("1.0.0", "feature/login");
    expect(created.branch).toBe("feature/login");
    expect((await release("1.0.1", "")).release.branch).toBeNull();
    for (const bad of ["feature login", "a..b", "release/*", "x".repeat(201)]) {
      const error = await release("1.0.2", bad).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(["branch"]);
    }
  });

  it("shows a release from another branch, refuses its promotion and says why", async () => {
    await db().environment.update({
      where: { id: world.env.staging },
      data: { allowedBranches: ["main", "release/*"] },
    });
    const promote = (releaseId: string) => promoteRelease(world.developer, { releaseId, environmentKey: "staging" });
    const branchGate = async (releaseId: string) =>
      (await getPromotion(world.developer, releaseId))!.gates.find((g) => g.key === "branch")!;

    const feature = await releaseAt(world, null, [world.env.development]);
    await db().release.update({ where: { id: feature.id }, data: { branch: "feature/x" } });
    expect(await branchGate(feature.id)).toMatchObject({
      passed: false,
      detail: "Built from feature/x; Staging takes main, release/*",
    });
    const refused = await promote(feature.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toContain("Branch rule: Built from feature/x; Staging takes main, release/*");

    // no branch at all fails a rule too
    const unnamed = await releaseAt(world, null, [world.env.development]);
    expect((await branchGate(unnamed.id)).passed).toBe(false);

    const fromRelease = await releaseAt(world, null, [world.env.development]);
    await db().release.update({ where: { id: fromRelease.id }, data: { branch: "release/2.1" } });
    expect((await branchGate(fromRelease.id)).passed).toBe(true);
    expect((await promote(fromRelease.id)).environmentKey).toBe("staging");
  });

  it("auto-promotes only releases from the branches named for it, and gates still apply", async () => {
    await db().environment.update({
      where: { id: world.env.development },
      data: { autoPromote: true, autoPromoteBranches: ["develop"] },
    });
    const deploymentsOf = (releaseId: string) => db().deployment.count({ where: { releaseId } });

    const feature = await release("2.0.0", "feature/x");
    expect(await deploymentsOf(feature.release.id)).toBe(0);
    const develop = await release("2.0.1", "develop");
    expect(await deploymentsOf(develop.release.id)).toBe(1);
    const none = await release("2.0.2");
    expect(await deploymentsOf(none.release.id)).toBe(0);

    // a branch the rule promotes, but which the environment does not take: the gate wins
    await db().environment.update({
      where: { id: world.env.development },
      data: { autoPromoteBranches: ["develop", "hotfix/*"], allowedBranches: ["develop"] },
    });
    const hotfix = await release("2.0.3", "hotfix/1");
    expect(await deploymentsOf(hotfix.release.id)).toBe(0);

    // without branches named, every release is promoted automatically
    await db().environment.update({
      where: { id: world.env.development },
      data: { autoPromoteBranches: [], allowedBranches: [] },
    });
    expect(await deploymentsOf((await release("2.0.4", "feature/y")).release.id)).toBe(1);
  });

  describe("settings", () => {
    const base = async (): Promise<EnvironmentSettingsInput> => {
      const e = await db().environment.findUniqueOrThrow({ where: { id: world.env.staging } });
      return {
        environmentKey: "staging",
        name: e.name,
        description: e.description,
        color: e.color,
        url: e.url,
        protected: e.protected,
        requiredApprovals: e.requiredApprovals,
        preventSelfApproval: e.preventSelfApproval,
        soakMinutes: e.soakMinutes,
        autoPromote: e.autoPromote,
        requireSecondFactor: e.requireSecondFactor,
        secondFactorMaxAgeMinutes: e.secondFactorMaxAgeMinutes,
        position: e.position,
      };
    };

    it("stores branch patterns and required checks from a form's lines or the API's lists, audited", async () => {
      const saved = await updateEnvironmentSettings(world.manager, {
        ...(await base()),
        allowedBranches: " main \nrelease/*\n\nmain",
        autoPromoteBranches: ["develop"],
        requiredChecks: "unit-tests\ne2e",
      });
      expect(saved).toMatchObject({
        allowedBranches: ["main", "release/*"],
        autoPromoteBranches: ["develop"],
        requiredChecks: ["unit-tests", "e2e"],
      });
      const [event] = await db().auditEvent.findMany({ where: { action: "environment.update" } });
      expect(event?.after).toMatchObject({
        allowedBranches: ["main", "release/*"],
        requiredChecks: ["unit-tests", "e2e"],
      });
      // left out, they are kept
      expect(await updateEnvironmentSettings(world.manager, await base())).toMatchObject({
        allowedBranches: ["main", "release/*"],
        requiredChecks: ["unit-tests", "e2e"],
      });
    });

    it("refuses a malformed pattern or check name with a message naming it, and changes nothing", async () => {
      const refused = async (fields: Partial<EnvironmentSettingsInput>) => {
        const error = await updateEnvironmentSettings(world.manager, { ...(await base()), ...fields }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).fieldErrors;
      };
      expect((await refused({ allowedBranches: "main\nrelease/[0-9]*" })).allowedBranches).toEqual([
        "“release/[0-9]*” uses ? [ ] { } or \\, which are not supported: use * within a segment or ** across segments",
      ]);
      expect((await refused({ allowedBranches: ["main branch"] })).allowedBranches?.[0]).toContain("space");
      expect((await refused({ autoPromoteBranches: ["../main"] })).autoPromoteBranches?.[0]).toContain("..");
      expect(
        (await refused({ allowedBranches: Array.from({ length: 21 }, (_, i) => `b${i}`) })).allowedBranches,
      ).toEqual(["Use at most 20 branch patterns"]);
      expect((await refused({ requiredChecks: "unit tests!" })).requiredChecks?.[0]).toContain("Name the check");
      const stored = await db().environment.findUniqueOrThrow({ where: { id: world.env.staging } });
      expect([stored.allowedBranches, stored.autoPromoteBranches, stored.requiredChecks]).toEqual([[], [], []]);
    });
  });
});
