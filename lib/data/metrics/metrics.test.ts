import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  classify,
  computeDora,
  isHotfixRelease,
  type DoraDeployment,
  type DoraFigures,
  type DoraWindow,
} from "@/lib/domain/dora";
import { DeploymentKind, DeploymentStatus } from "@/lib/generated/prisma/client";
import { loadPreset } from "@/lib/presets/load";
import { actorWith, fullAccessActor } from "@/lib/test/actors";
import { resetDatabase } from "@/lib/test/reset";
import { deploymentStatusEnum } from "../enums";
import { NotFoundError, ValidationError } from "../errors";
import { readMetricDeployments, readMetrics, type MetricsReport } from "./read";

// The SQL (lib/data/metrics/sql.ts) against the specification (lib/domain/dora.ts): the same
// figures on the demo preset and on hand-made histories; refusals; hidden environments.

/** The pure computation's input, read with Prisma from the tables. */
async function history(environmentId: string, applicationId: string | null): Promise<DoraDeployment[]> {
  const rows = await db().deployment.findMany({
    where: { environmentId, ...(applicationId ? { applicationId } : {}) },
    include: { release: { select: { commitAt: true, createdAt: true, title: true, version: true } } },
  });
  return rows.map((d): DoraDeployment => ({
    id: d.id,
    applicationId: d.applicationId,
    releaseId: d.releaseId,
    status: deploymentStatusEnum.fromDb(d.status),
    kind: d.kind === DeploymentKind.ROLLBACK ? "rollback" : "promotion",
    rollbackOfId: d.rollbackOfId,
    finishedAt: d.finishedAt,
    changeAt: d.release.commitAt ?? d.release.createdAt,
    hotfix: isHotfixRelease(d.release),
  }));
}

function expectSame(sql: DoraFigures, pure: DoraFigures, label: string): void {
  for (const [key, value] of Object.entries(pure) as [keyof DoraFigures, number | null][]) {
    const got = sql[key];
    if (value === null) expect(got, `${label} ${key}`).toBeNull();
    else expect(got as number, `${label} ${key}`).toBeCloseTo(value, 3);
  }
}

function windowOf(report: MetricsReport): DoraWindow {
  return { from: report.window.from, to: report.window.to };
}

async function compare(report: MetricsReport, environmentId: string, applicationId: string | null, label: string) {
  const pure = computeDora(await history(environmentId, applicationId), windowOf(report));
  expectSame(report.summary, pure.summary, `${label} summary`);
  expect(report.unit).toBe(pure.unit);
  expect(report.trend.map((w) => w.start)).toEqual(pure.trend.map((w) => w.start));
  report.trend.forEach((w, i) => expectSame(w, pure.trend[i]!, `${label} ${report.unit} ${w.start.toISOString()}`));
}

describe("on the demo preset", () => {
  beforeEach(async () => {
    await resetDatabase();
    await loadPreset(db(), "demo", { password: "pw-for-tests" });
  });

  it("agrees with the pure computation for every environment, every application and all, over 7/30/90 days and two years", async () => {
    const admin = await fullAccessActor();
    const environments = await db().environment.findMany({ orderBy: { position: "asc" } });
    const applications = await db().application.findMany();
    let nonEmpty = 0;
    for (const e of environments)
      for (const a of [null, ...applications])
        for (const filters of [
          { range: "7" },
          { range: "30" },
          { range: "90" },
          { from: "2025-01-01", to: "2026-12-31" },
        ] as const) {
          const report = await readMetrics(admin, { environment: e.key, application: a?.key, ...filters });
          await compare(report, e.id, a?.id ?? null, `${e.key}/${a?.key ?? "all"}/${JSON.stringify(filters)}`);
          if (report.summary.deployments > 0) nonEmpty++;
        }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it("defaults to the last environment in pipeline order and shows the preset's targets", async () => {
    const admin = await fullAccessActor();
    const report = await readMetrics(admin, {});
    const last = await db().environment.findFirstOrThrow({ orderBy: { position: "desc" } });
    expect(report.environment.key).toBe(last.key);
    expect(report.window.range).toBe("30");
    expect(report.targets.map((t) => [t.metric, t.value]).sort()).toEqual([
      ["change_failure_rate", 0.15],
      ["deployment_frequency", 2],
      ["lead_time", 7200],
      ["recovery_time", 3600],
    ]);
  });

  it("lists the deployments behind each figure, classified like the specification", async () => {
    const admin = await fullAccessActor();
    const last = await db().environment.findFirstOrThrow({ orderBy: { position: "desc" } });
    const filters = { environment: last.key, range: "90" } as const;
    const report = await readMetrics(admin, filters);
    const all = await readMetricDeployments(admin, { ...filters, limit: 50_000 });
    expect(all.rows).toHaveLength(report.summary.deployments);
    const spec = new Map(classify(await history(last.id, null)).map((c) => [c.deployment.id, c]));
    for (const row of all.rows) {
      const c = spec.get(row.id)!;
      expect([row.failure, row.firstSuccess, row.unplanned, row.recoveredAt?.getTime() ?? null]).toEqual([
        c.failure,
        c.firstSuccess,
        c.unplanned,
        c.recoveredAt?.getTime() ?? null,
      ]);
    }
    const successes = await readMetricDeployments(admin, { ...filters, metric: "deployment_frequency" });
    expect(successes.rows.length).toBe(Math.min(report.summary.successes, 500));
    expect(successes.rows.every((r) => r.status === "succeeded")).toBe(true);
    const leads = await readMetricDeployments(admin, { ...filters, metric: "lead_time" });
    expect(leads.rows.length).toBe(report.summary.leadTimeCount);
    const failures = await readMetricDeployments(admin, { ...filters, metric: "recovery_time" });
    expect(failures.rows.length).toBe(report.summary.failures);
  });
});

describe("on hand-made histories", () => {
  let env: { id: string; key: string };
  let other: { id: string; key: string };
  let app: { id: string; key: string };
  let app2: { id: string; key: string };
  const T0 = Date.UTC(2026, 2, 2); // Monday 2 March 2026
  const at = (hours: number) => new Date(T0 + hours * 3_600_000);

  beforeEach(async () => {
    await resetDatabase();
    const u = randomUUID().slice(0, 8);
    other = await db().environment.create({ data: { key: `staging-${u}`, name: "Staging", position: 0 } });
    env = await db().environment.create({ data: { key: `prod-${u}`, name: "Production", position: 1 } });
    app = await db().application.create({ data: { key: `shop-${u}`, name: "Shop" } });
    app2 = await db().application.create({ data: { key: `api-${u}`, name: "API" } });
  });

  let n = 0;
  async function release(a: { id: string }, title: string, commitHours: number | null, createdHours = 0) {
    n++;
    return db().release.create({
      data: {
        applicationId: a.id,
        version: `1.0.${n}`,
        commitSha: "abc",
        title,
        commitAt: commitHours === null ? null : at(commitHours),
        createdAt: at(createdHours),
      },
    });
  }
  async function deploy(
    r: { id: string; applicationId: string },
    status: DeploymentStatus,
    finishedHours: number | null,
    extra: { kind?: DeploymentKind; rollbackOfId?: string; environmentId?: string } = {},
  ) {
    return db().deployment.create({
      data: {
        releaseId: r.id,
        applicationId: r.applicationId,
        environmentId: extra.environmentId ?? env.id,
        status,
        kind: extra.kind ?? DeploymentKind.PROMOTION,
        rollbackOfId: extra.rollbackOfId ?? null,
        queuedAt: at((finishedHours ?? 1) - 0.5),
        finishedAt: finishedHours === null ? null : at(finishedHours),
      },
    });
  }

  it("agrees on rollbacks of rollbacks, open failures, cancelled deployments and hotfixes, and gives the expected figures", async () => {
    const r1 = await release(app, "Checkout", 0);
    const r2 = await release(app, "Search", null, 2); // no commit time: from its creation
    const r3 = await release(app, "Hotfix: totals", 10);
    const r4 = await release(app2, "API v2", 0);
    const good = await deploy(r1, DeploymentStatus.SUCCEEDED, 1); // lead 1 h
    const bad = await deploy(r2, DeploymentStatus.SUCCEEDED, 5); // lead 3 h, rolled back later
    const rb = await deploy(r1, DeploymentStatus.SUCCEEDED, 6, { kind: DeploymentKind.ROLLBACK, rollbackOfId: bad.id });
    await deploy(r2, DeploymentStatus.SUCCEEDED, 7, { kind: DeploymentKind.ROLLBACK, rollbackOfId: rb.id }); // rollback of the rollback
    await deploy(r3, DeploymentStatus.FAILED, 12); // open: no success of app after
    await deploy(r3, DeploymentStatus.CANCELLED, 13);
    await deploy(r3, DeploymentStatus.RUNNING, null);
    await deploy(r4, DeploymentStatus.ROLLED_BACK, 20); // app2: recovered at 22
    await deploy(r4, DeploymentStatus.SUCCEEDED, 22); // app2 lead 22 h
    await deploy(r4, DeploymentStatus.SUCCEEDED, 3, { environmentId: other.id }); // elsewhere
    const admin = await fullAccessActor();

    const report = await readMetrics(admin, { environment: env.key, from: "2026-03-02", to: "2026-03-08" });
    await compare(report, env.id, null, "all");
    expect(report.summary).toMatchObject({
      deployments: 7,
      successes: 5,
      failures: 4, // bad (rolled back), rb (rolled back), the failed hotfix, the rolled-back API
      unplanned: 3, // two rollbacks, the hotfix
      leadTimeCount: 3,
      leadTimeMedian: 3 * 3600,
      recovered: 3, // bad → rb at 6, rb → 7, API 20 → 22
      openFailures: 1,
    });
    expect(report.summary.changeFailureRate).toBeCloseTo(4 / 7);
    expect(report.summary.recoveryMedian).toBe(3600);
    expect(good.id).toBeTruthy();

    const shop = await readMetrics(admin, {
      environment: env.key,
      application: app.key,
      from: "2026-03-02",
      to: "2026-03-08",
    });
    await compare(shop, env.id, app.id, "shop");
    expect(shop.summary.openFailures).toBe(1);
  });

  it("finds hotfixes by title or version, never across the two", async () => {
    const cases = [
      { title: "Checkout", version: "2.1.1-hotfix", hotfix: true },
      { title: "Hot-fix for totals", version: "2.1.2", hotfix: true },
      { title: "Quick hot", version: "fix-2", hotfix: false }, // "hot" ends one, "fix" starts the other
      { title: "Shotfix", version: "2.1.3", hotfix: false },
    ];
    for (const [i, c] of cases.entries()) {
      const r = await db().release.create({
        data: { applicationId: app.id, version: c.version, commitSha: "abc", title: c.title, createdAt: at(i) },
      });
      expect(isHotfixRelease(c), c.title).toBe(c.hotfix);
      await deploy(r, DeploymentStatus.SUCCEEDED, i + 1);
    }
    const report = await readMetrics(await fullAccessActor(), {
      environment: env.key,
      from: "2026-03-02",
      to: "2026-03-08",
    });
    await compare(report, env.id, null, "hotfixes");
    expect(report.summary.unplanned).toBe(2);
  });

  it("gives zeros for an empty history", async () => {
    const admin = await fullAccessActor();
    const report = await readMetrics(admin, { environment: env.key, range: "7" });
    expect(report.summary).toMatchObject({ deployments: 0, leadTimeMedian: null, changeFailureRate: null });
    expect(report.trend.length).toBeGreaterThanOrEqual(1);
    expect(report.trend.every((w) => w.deployments === 0)).toBe(true);
  });

  it("answers 404 for an unknown environment or application, and 422 for a bad range", async () => {
    const admin = await fullAccessActor();
    await expect(readMetrics(admin, { environment: "nowhere" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(readMetrics(admin, { environment: env.key, application: "nothing" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const backwards = await readMetrics(admin, { from: "2026-03-10", to: "2026-03-01" }).catch((e: unknown) => e);
    expect(backwards).toBeInstanceOf(ValidationError);
    expect((backwards as ValidationError).fieldErrors.to).toEqual(["End the range on or after its first day"]);
    const long = await readMetrics(admin, { from: "2023-01-01", to: "2026-03-01" }).catch((e: unknown) => e);
    expect((long as ValidationError).fieldErrors.to).toEqual(["A range spans at most 2 years"]);
    const half = await readMetrics(admin, { from: "2026-03-01" }).catch((e: unknown) => e);
    expect((half as ValidationError).fieldErrors.to).toEqual(["Enter the last day of the range"]);
    const range = await readMetrics(admin, { range: "12" as never }).catch((e: unknown) => e);
    expect(Object.keys((range as ValidationError).fieldErrors)).toEqual(["range"]);
    await expect(readMetricDeployments(admin, { metric: "uptime" as never })).rejects.toBeInstanceOf(ValidationError);
  });

  it("never shows an environment the viewer may not see", async () => {
    const r = await release(app, "Checkout", 0);
    await deploy(r, DeploymentStatus.SUCCEEDED, 1);
    const viewer = await actorWith(["environment.view"], [other.id]);
    const report = await readMetrics(viewer, {});
    expect(report.environments.map((e) => e.key)).toEqual([other.key]);
    expect(report.environment.key).toBe(other.key);
    expect(JSON.stringify(report)).not.toContain(env.id);
    await expect(readMetrics(viewer, { environment: env.key })).rejects.toBeInstanceOf(NotFoundError);
    await expect(readMetricDeployments(viewer, { environment: env.key })).rejects.toBeInstanceOf(NotFoundError);
    const nobody = await actorWith([], []);
    await expect(readMetrics(nobody, {})).rejects.toBeInstanceOf(NotFoundError);
  });
});
