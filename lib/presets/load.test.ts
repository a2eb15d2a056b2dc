import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { fromDbPermission, levelOf } from "@/lib/domain/permissions";
import { resetDatabase } from "@/lib/test/reset";
import { presetNames, presets } from "@/prisma/presets/index";
import { ConflictError, ValidationError } from "../data/errors";
import { validateTarget } from "../deploy/registry";
import { databaseIsEmpty, loadPreset, RESERVED_ENVIRONMENT_KEYS } from "./load";

const NOW = new Date();
const DAY = 86_400_000;

beforeEach(resetDatabase);

/** envKey → named level (or "custom") of one role's stored matrix row. */
async function levelsOf(roleKey: string): Promise<Record<string, string>> {
  const rows = await db().environmentPermission.findMany({
    where: { role: { key: roleKey } },
    select: { permissions: true, environment: { select: { key: true } } },
  });
  return Object.fromEntries(rows.map((r) => [r.environment.key, levelOf(r.permissions.map(fromDbPermission))]));
}

async function permissionsOf(roleKey: string, envKey: string): Promise<string[]> {
  const row = await db().environmentPermission.findFirst({
    where: { role: { key: roleKey }, environment: { key: envKey } },
  });
  return (row?.permissions ?? []).map(fromDbPermission);
}

async function checklist(envKey: string) {
  return db().checklistTemplate.findFirst({
    where: { environment: { key: envKey } },
    select: {
      name: true,
      items: { orderBy: { position: "asc" }, select: { label: true, section: true, required: true, phase: true } },
    },
  });
}

async function flagStates(flagKey: string): Promise<Record<string, boolean>> {
  const states = await db().flagState.findMany({
    where: { flag: { key: flagKey } },
    select: { enabled: true, environment: { select: { key: true } } },
  });
  return Object.fromEntries(states.map((s) => [s.environment.key, s.enabled]));
}

describe.each(presetNames)("preset %s", (name) => {
  const preset = presets[name]!;

  it("uses no environment key that a page under /environments/ takes", () => {
    for (const e of preset.environments) expect(RESERVED_ENVIRONMENT_KEYS).not.toContain(e.key);
  });

  it("names deploy targets their providers accept, for the environment's rollout strategy", () => {
    for (const target of preset.deployTargets ?? []) {
      const environment = preset.environments.find((e) => e.key === target.envKey)!;
      const checked = validateTarget(
        {
          provider: target.provider,
          config: target.config,
          secretEnvVar: target.secretEnvVar ?? null,
          timeoutSeconds: target.timeoutSeconds ?? 600,
        },
        environment.rolloutStrategy,
      );
      expect(checked, `${target.appKey} in ${target.envKey}`).toMatchObject({ ok: true });
    }
  });

  it("loads into an empty database with the counts it announces", async () => {
    expect(await databaseIsEmpty(db())).toBe(true);
    const summary = await loadPreset(db(), name, { now: NOW });
    const client = db();

    expect(summary.environments).toBe(preset.environments.length);
    expect(summary.roles).toBe(preset.roles.length);
    expect(summary.users).toBe(preset.users.length);
    expect(summary.flags).toBe(preset.flags.length);
    expect(await client.environment.count()).toBe(summary.environments);
    expect(await client.role.count()).toBe(summary.roles);
    expect(await client.user.count()).toBe(summary.users);
    expect(await client.featureFlag.count()).toBe(summary.flags);
    expect(await client.release.count()).toBe(summary.releases);
    expect(await client.deployment.count()).toBe(summary.deployments);
    expect(await client.application.count()).toBe(preset.applications.length);
    // complete matrix and flag grid: one row per role × environment and flag × environment
    expect(await client.environmentPermission.count()).toBe(preset.roles.length * preset.environments.length);
    expect(await client.flagState.count()).toBe(preset.flags.length * preset.environments.length);
    const items = Object.values(preset.checklists).reduce((n, c) => n + c.items.length, 0);
    expect(await client.checklistTemplateItem.count()).toBe(items);
    expect(await client.deployTarget.count()).toBe(preset.deployTargets?.length ?? 0);

    const environments = await client.environment.findMany({ orderBy: { position: "asc" }, select: { key: true } });
    expect(environments.map((e) => e.key)).toEqual(preset.environments.map((e) => e.key));

    const audit = await client.auditEvent.findMany({ where: { action: "preset.load" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorLabel: "system",
      entityType: "Preset",
      after: expect.objectContaining(summary) as unknown,
    });
    expect(await databaseIsEmpty(client)).toBe(false);
  });

  it("has an admin with the global permissions and full access everywhere, and a product owner who approves in protected environments", async () => {
    await loadPreset(db(), name, { now: NOW });
    const admin = await db().role.findUniqueOrThrow({ where: { key: "admin" } });
    expect(admin.globalPermissions.map(fromDbPermission).sort()).toEqual([
      "audit.view",
      "flag.manage",
      "matrix.edit",
      "notification.manage",
      "token.manage",
      "user.manage",
    ]);
    expect(Object.values(await levelsOf("admin"))).toEqual(preset.environments.map(() => "full"));
    for (const env of preset.environments.filter((e) => e.protected))
      expect(await permissionsOf("product_owner", env.key)).toContain("release.approve");
    const withoutRole = await db().user.count({ where: { roles: { none: {} } } });
    expect(withoutRole).toBe(0);
  });
});

describe("seed documents", () => {
  it("000 MonEpice&Riz: the ADR-005 access matrix cell for cell", async () => {
    await loadPreset(db(), "000-monepiceriz");
    expect(await levelsOf("developer")).toEqual({ development: "full", staging: "read", production: "none" });
    expect(await levelsOf("qa")).toEqual({ development: "read", staging: "full", production: "none" });
    expect(await levelsOf("devops")).toEqual({ development: "full", staging: "full", production: "deploy" });
    expect(await levelsOf("operations")).toEqual({ development: "none", staging: "read", production: "full" });
    expect(await levelsOf("business_owner")).toEqual({ development: "none", staging: "view", production: "view" });
    const [staging, production] = await db().environment.findMany({
      where: { key: { in: ["staging", "production"] } },
      orderBy: { position: "asc" },
    });
    expect(staging?.rolloutStrategy).toBe("BLUE_GREEN");
    expect(production).toMatchObject({ rolloutStrategy: "BLUE_GREEN", protected: true, requiredApprovals: 1 });
  });

  it("001 Ledgerline: both checklists with every item, blue/green 1 → 10 → 50 → 100", async () => {
    await loadPreset(db(), "001-ledgerline");
    const production = await checklist("production");
    expect(production?.name).toBe("Deployment Approval Checklist");
    expect(production?.items).toHaveLength(10);
    expect(production?.items.map((i) => i.label)).toContain("Change window approved");
    const staging = await checklist("staging");
    expect(staging?.name).toBe("Testing in Staging");
    expect(staging?.items).toHaveLength(8);
    const env = await db().environment.findUniqueOrThrow({ where: { key: "production" } });
    expect(env.rolloutStrategy).toBe("BLUE_GREEN");
    expect(env.rolloutSteps).toEqual([
      { percent: 1, pauseSeconds: 300 },
      { percent: 10, pauseSeconds: 600 },
      { percent: 50, pauseSeconds: 900 },
      { percent: 100, pauseSeconds: 0 },
    ]);
  });

  it("002 AMARISÉ: the flag table per environment, sectioned checklist, rollback thresholds", async () => {
    await loadPreset(db(), "002-amarise");
    expect((await db().environment.findMany({ orderBy: { position: "asc" } })).map((e) => e.key)).toEqual([
      "development",
      "staging",
      "production",
    ]);
    expect(await flagStates("guestCheckout")).toEqual({ development: true, staging: true, production: false });
    expect(await flagStates("reviews")).toEqual({ development: true, staging: false, production: false });
    expect(await flagStates("checkoutEnabled")).toEqual({ development: true, staging: true, production: true });
    expect(await flagStates("darkMode")).toEqual({ development: true, staging: false, production: false });
    const categories = await db().featureFlag.groupBy({ by: ["category"], _count: true, orderBy: { category: "asc" } });
    expect(categories.map((c) => [c.category, c._count])).toEqual([
      ["commerce", 5],
      ["content", 3],
      ["discovery", 4],
      ["experimental", 3],
      ["ui", 4],
    ]);
    const sections = (await checklist("production"))?.items.map((i) => i.section);
    expect(new Set(sections)).toEqual(new Set(["Pre-deployment", "Deployment", "Post-deployment"]));
    // the deployment and post-deployment parts are ticked on each deployment, not before promotion
    const phases = (await checklist("production"))?.items.map((i) => `${i.section} ${i.phase}`);
    expect(new Set(phases)).toEqual(new Set(["Pre-deployment BEFORE", "Deployment DURING", "Post-deployment AFTER"]));
    const production = await db().environment.findUniqueOrThrow({ where: { key: "production" } });
    expect(production).toMatchObject({
      rolloutStrategy: "BLUE_GREEN",
      errorRateThresholdPercent: 5,
      healthCheckFailureThreshold: 3,
    });
    expect((production.rolloutSteps as { percent: number }[]).map((s) => s.percent)).toEqual([10, 50, 100]);
  });

  it("003 MicroBima: staging and production only, three applications, flyctl deploy targets", async () => {
    await loadPreset(db(), "003-microbima");
    expect((await db().application.findMany({ orderBy: { key: "asc" } })).map((a) => a.key)).toEqual([
      "internal-api",
      "public-api",
      "web-admin",
    ]);
    expect((await db().environment.findMany({ orderBy: { position: "asc" } })).map((e) => e.key)).toEqual([
      "staging",
      "production",
    ]);
    const target = await db().deployTarget.findFirstOrThrow({
      where: { application: { key: "public-api" }, environment: { key: "production" } },
    });
    expect(target).toMatchObject({ provider: "COMMAND", secretEnvVar: "FLY_API_TOKEN" });
    expect(JSON.stringify(target.config)).toContain("microbima-production-public-api");
    // branch-based deploys: a push to staging deploys there by itself; development deploys nowhere
    const rules = await db().environment.findMany({
      orderBy: { position: "asc" },
      select: { key: true, allowedBranches: true, autoPromoteBranches: true },
    });
    expect(rules).toEqual([
      { key: "staging", allowedBranches: ["staging", "production"], autoPromoteBranches: ["staging"] },
      { key: "production", allowedBranches: ["staging", "production"], autoPromoteBranches: [] },
    ]);
  });

  it("004 StudySphere: development → testing → production, QA approves testing, product owner approves production", async () => {
    await loadPreset(db(), "004-studysphere");
    const environments = await db().environment.findMany({ orderBy: { position: "asc" } });
    expect(environments.map((e) => e.key)).toEqual(["development", "testing", "production"]);
    expect(environments.map((e) => e.requiredApprovals)).toEqual([0, 1, 1]);
    expect(await permissionsOf("qa", "testing")).toContain("release.approve");
    expect(await permissionsOf("qa", "production")).not.toContain("release.approve");
    expect(await permissionsOf("product_owner", "production")).toContain("release.approve");
    expect(await flagStates("newDashboard")).toEqual({ development: true, testing: true, production: false });
    const production = await checklist("production");
    expect(production?.items.filter((i) => i.section === "Pre-deployment")).toHaveLength(8);
    expect(production?.items.filter((i) => i.section === "Post-deployment")).toHaveLength(5);
    expect(production?.items.filter((i) => i.phase === "AFTER")).toHaveLength(5);
  });
});

describe("demo preset", () => {
  it("shows releases at every stage, with a consistent history inside the last 90 days", async () => {
    const summary = await loadPreset(db(), "demo", { now: NOW });
    const client = db();
    expect(summary.releases).toBeGreaterThanOrEqual(150);
    expect(summary.releases).toBeLessThanOrEqual(300);

    // just created: not deployed anywhere
    expect(await client.release.count({ where: { deployments: { none: {} } } })).toBeGreaterThanOrEqual(1);
    // running in development only
    expect(
      await client.release.count({
        where: {
          deployments: {
            some: { environment: { key: "development" }, status: "SUCCEEDED" },
            every: { environment: { key: "development" } },
          },
        },
      }),
    ).toBeGreaterThanOrEqual(1);
    // waiting in staging for production, with an approval and a half-done checklist
    const waiting = await client.release.findMany({
      where: {
        deployments: {
          some: { environment: { key: "staging" }, status: "SUCCEEDED" },
          none: { environment: { key: "production" } },
        },
        approvals: { some: { decision: "APPROVED" } },
        checklistItems: { some: { environment: { key: "staging" }, checkedAt: { not: null } } },
      },
      select: { checklistItems: { where: { environment: { key: "staging" } }, select: { checkedAt: true } } },
    });
    expect(waiting.some((r) => r.checklistItems.some((i) => i.checkedAt === null))).toBe(true);
    // production's "during" and "after" ticks are its deployments', none is on a release's checklist
    const ticked = { checkedAt: { not: null } };
    expect(await db().deploymentChecklistItem.count({ where: { phase: "DURING", ...ticked } })).toBeGreaterThan(0);
    expect(await db().deploymentChecklistItem.count({ where: { phase: "AFTER", ...ticked } })).toBeGreaterThan(0);
    expect(await db().checklistItem.count({ where: { templateItem: { phase: { not: "BEFORE" } } } })).toBe(0);
    // succeeded in production, failed in staging, rolled back; nothing left running without a worker
    expect(
      await client.deployment.count({ where: { environment: { key: "production" }, status: "SUCCEEDED" } }),
    ).toBeGreaterThan(0);
    expect(await client.deployment.count({ where: { status: { in: ["RUNNING", "QUEUED"] } } })).toBe(0);
    expect(await client.deployTarget.count({ where: { provider: { not: "COMMAND" } } })).toBe(0);
    expect(
      await client.deployment.count({ where: { environment: { key: "staging" }, status: "FAILED" } }),
    ).toBeGreaterThan(0);
    expect(await client.deployment.count({ where: { status: "ROLLED_BACK" } })).toBeGreaterThanOrEqual(2);
    const rollback = await client.deployment.findFirstOrThrow({
      where: { rollbackOfId: { not: null } },
      include: { rollbackOf: true },
    });
    expect(rollback.rollbackOf?.status).toBe("ROLLED_BACK");

    const [mismatch] = await client.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from "Deployment" d join "Release" r on r.id = d."releaseId" where d."applicationId" <> r."applicationId"`;
    expect(mismatch?.n).toBe(0);

    const oldest = NOW.getTime() - 90 * DAY;
    const releases = await client.release.aggregate({
      _min: { createdAt: true, commitAt: true },
      _max: { createdAt: true },
    });
    const deployments = await client.deployment.aggregate({
      _min: { queuedAt: true },
      _max: { queuedAt: true, finishedAt: true },
    });
    for (const t of [releases._min.createdAt, releases._min.commitAt, deployments._min.queuedAt])
      expect(t!.getTime()).toBeGreaterThanOrEqual(oldest);
    for (const t of [releases._max.createdAt, deployments._max.queuedAt, deployments._max.finishedAt])
      expect(t!.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(await client.deploymentLogLine.count()).toBeGreaterThan(summary.deployments);

    const freeze = await client.freezeWindow.findFirstOrThrow({ where: { environment: { key: "production" } } });
    expect(freeze).toMatchObject({ kind: "WEEKLY", weekday: 5, startMinute: 960, timeZone: "Europe/Paris" });
  });

  it("generates the same history for the same now", () => {
    const history = presets.demo!.history!;
    expect(JSON.stringify(history(NOW))).toEqual(JSON.stringify(history(NOW)));
  });
});

describe("loadPreset refuses", () => {
  it("an unknown preset, listing the valid names", async () => {
    const error = await loadPreset(db(), "acme").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    for (const name of presetNames) expect((error as Error).message).toContain(name);
    expect(await databaseIsEmpty(db())).toBe(true);
  });

  it("an environment key a page takes (/environments/compare), and writes nothing", async () => {
    const base = presets["003-microbima"]!;
    const [first, ...rest] = base.environments;
    presets["reserved-key"] = { ...base, environments: [{ ...first!, key: "compare" }, ...rest] };
    try {
      await expect(loadPreset(db(), "reserved-key")).rejects.toThrow(
        "preset environment compare: the key is reserved for a page of its own",
      );
      expect(await databaseIsEmpty(db())).toBe(true);
    } finally {
      delete presets["reserved-key"];
    }
  });

  it("a database that already holds data, and writes nothing", async () => {
    await loadPreset(db(), "003-microbima");
    const counts = async () => ({
      environments: await db().environment.count(),
      users: await db().user.count(),
      roles: await db().role.count(),
      audit: await db().auditEvent.count(),
    });
    const before = await counts();
    await expect(loadPreset(db(), "000-monepiceriz")).rejects.toBeInstanceOf(ConflictError);
    await expect(loadPreset(db(), "000-monepiceriz")).rejects.toThrow(
      "the database already holds data: loading a preset needs an empty database",
    );
    expect(await counts()).toEqual(before);
  });
});
