import "server-only";
import { noInput } from "../input";
import { defineOperation } from "../operation";
import { can, type Actor as Viewer } from "@/lib/domain/access";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-state";
import { buildPipeline, cellKey, type PipelineInput } from "@/lib/domain/pipeline";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../../db";
import { fromSql } from "../enums";
import {
  environmentSelect,
  toEnvironmentSummary,
  type ApplicationSummary,
  type CellHold,
  type EnvironmentSummary,
  type PipelineOverview,
  type ReleaseSummary,
} from "./summaries";

// Where releases stand: the pipeline's stages, its applications and, per application ×
// environment, what runs there. The environment and release pages build on the readers here.
// Multi-table reads are single SQL statements (joins, LATERAL) rather than Prisma `include`s,
// which would cost one query per relation: every page stays within a fixed number of queries.

/**
 * The pipeline's stages in order, as far as `actor` may see them (environment.view): an
 * environment without it does not exist for them. One query.
 */
export async function readEnvironments(actor: Viewer): Promise<EnvironmentSummary[]> {
  const rows = await db().environment.findMany({
    select: environmentSelect,
    orderBy: [{ position: "asc" }, { key: "asc" }],
  });
  return rows.filter((row) => can(actor, "environment.view", row.id)).map(toEnvironmentSummary);
}

/** Every application, by name. One query. */
export async function readApplications(): Promise<ApplicationSummary[]> {
  return db().application.findMany({
    select: { id: true, key: true, name: true },
    orderBy: [{ name: "asc" }, { key: "asc" }],
  });
}

interface CellRow {
  applicationId: string;
  environmentId: string;
  liveDeploymentId: string | null;
  liveFinishedAt: Date | null;
  liveReleaseId: string | null;
  liveVersion: string | null;
  liveTitle: string | null;
  liveCreatedAt: Date | null;
  activeDeploymentId: string | null;
  activeStatus: string | null;
  activeQueuedAt: Date | null;
  activeStartedAt: Date | null;
  activeReleaseId: string | null;
  activeVersion: string | null;
  activeTitle: string | null;
  activeCreatedAt: Date | null;
  failedDeploymentId: string | null;
  failedStatus: string | null;
  failedFinishedAt: Date | null;
  failedReleaseId: string | null;
  failedVersion: string | null;
  failedTitle: string | null;
  failedCreatedAt: Date | null;
  cutDeploymentId: string | null;
  cutAt: Date | null;
  cutReleaseId: string | null;
  cutVersion: string | null;
  cutTitle: string | null;
  cutCreatedAt: Date | null;
  holdReleaseId: string | null;
  holdVersion: string | null;
  holdReason: string | null;
  holdSince: Date | null;
}

type Cells = Required<Pick<PipelineInput<ReleaseSummary>, "live" | "active" | "failures" | "interrupted">> & {
  holds: (CellHold & { applicationId: string; environmentId: string })[];
};

function releaseOf(
  id: string | null,
  version: string | null,
  title: string | null,
  createdAt: Date | null,
): ReleaseSummary | null {
  return id && version !== null && title !== null && createdAt ? { id, version, title, createdAt } : null;
}

/**
 * Per application × environment, in one statement: the latest succeeded deployment (what runs
 * there), the newest one under way (queued first only when none moves), the latest
 * failed/rolled-back one, the latest interrupted one when nothing succeeded after it (what runs
 * is then unknown), and the version it holds after a rollback, if it does. Each LATERAL is
 * a short walk of the (applicationId, environmentId, status, finishedAt desc) index, so the
 * cost follows the number of cells, not the number of deployments. Optionally narrowed to one
 * application or one environment.
 */
export async function readCells(filter: { applicationId?: string; environmentId?: string } = {}): Promise<Cells> {
  const conditions = [
    filter.applicationId ? Prisma.sql`a.id = ${filter.applicationId}::uuid` : null,
    filter.environmentId ? Prisma.sql`e.id = ${filter.environmentId}::uuid` : null,
  ].filter((c) => c !== null);
  const where = conditions.length ? Prisma.sql`where ${Prisma.join(conditions, " and ")}` : Prisma.empty;

  const rows = await db().$queryRaw<CellRow[]>`
    select a.id as "applicationId", e.id as "environmentId",
      live.id as "liveDeploymentId", live."finishedAt" as "liveFinishedAt",
      lr.id as "liveReleaseId", lr.version as "liveVersion", lr.title as "liveTitle", lr."createdAt" as "liveCreatedAt",
      act.id as "activeDeploymentId", act.status::text as "activeStatus", act."queuedAt" as "activeQueuedAt", act."startedAt" as "activeStartedAt",
      ar.id as "activeReleaseId", ar.version as "activeVersion", ar.title as "activeTitle", ar."createdAt" as "activeCreatedAt",
      bad.id as "failedDeploymentId", bad.status::text as "failedStatus", bad."finishedAt" as "failedFinishedAt",
      br.id as "failedReleaseId", br.version as "failedVersion", br.title as "failedTitle", br."createdAt" as "failedCreatedAt",
      cut.id as "cutDeploymentId", cut."interruptedAt" as "cutAt",
      cr.id as "cutReleaseId", cr.version as "cutVersion", cr.title as "cutTitle", cr."createdAt" as "cutCreatedAt",
      hr.id as "holdReleaseId", hr.version as "holdVersion", h.reason as "holdReason", h."createdAt" as "holdSince"
    from "Application" a
    cross join "Environment" e
    left join lateral (
      select d.id, d."releaseId", d."finishedAt" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = e.id and d.status = 'succeeded' and d."finishedAt" is not null
      order by d."finishedAt" desc limit 1
    ) live on true
    left join "Release" lr on lr.id = live."releaseId"
    left join lateral (
      select d.id, d."releaseId", d.status, d."queuedAt", d."startedAt" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = e.id
        and d.status in ('queued', 'running', 'paused', 'rolling_back')
      order by d.status <> 'queued' desc, d."queuedAt" desc limit 1
    ) act on true
    left join "Release" ar on ar.id = act."releaseId"
    left join lateral (
      select d.id, d."releaseId", d.status, d."finishedAt" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = e.id and d.status in ('failed', 'rolled_back') and d."finishedAt" is not null
      order by d."finishedAt" desc limit 1
    ) bad on true
    left join "Release" br on br.id = bad."releaseId"
    left join lateral (
      select d.id, d."releaseId", d."interruptedAt" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = e.id and d.status = 'failed' and d."finishedAt" is not null
        and d."interruptedAt" is not null and (live."finishedAt" is null or d."interruptedAt" > live."finishedAt")
      order by d."finishedAt" desc limit 1
    ) cut on true
    left join "Release" cr on cr.id = cut."releaseId"
    left join "EnvironmentHold" h on h."applicationId" = a.id and h."environmentId" = e.id
    left join "Release" hr on hr.id = h."releaseId"
    ${where}`;

  const cells: {
    live: Cells["live"][number][];
    active: Cells["active"][number][];
    failures: Cells["failures"][number][];
    interrupted: Cells["interrupted"][number][];
    holds: Cells["holds"];
  } = {
    live: [],
    active: [],
    failures: [],
    interrupted: [],
    holds: [],
  };
  for (const row of rows) {
    const at = { applicationId: row.applicationId, environmentId: row.environmentId };
    const liveRelease = releaseOf(row.liveReleaseId, row.liveVersion, row.liveTitle, row.liveCreatedAt);
    if (row.liveDeploymentId && liveRelease && row.liveFinishedAt)
      cells.live.push({
        ...at,
        deploymentId: row.liveDeploymentId,
        release: liveRelease,
        finishedAt: row.liveFinishedAt,
      });

    const activeRelease = releaseOf(row.activeReleaseId, row.activeVersion, row.activeTitle, row.activeCreatedAt);
    const activeStatus = row.activeStatus ? fromSql(DEPLOYMENT_STATUSES, row.activeStatus, "deployment status") : null;
    if (
      row.activeDeploymentId &&
      activeRelease &&
      row.activeQueuedAt &&
      (activeStatus === "queued" ||
        activeStatus === "running" ||
        activeStatus === "paused" ||
        activeStatus === "rolling_back")
    )
      cells.active.push({
        ...at,
        deploymentId: row.activeDeploymentId,
        status: activeStatus,
        release: activeRelease,
        queuedAt: row.activeQueuedAt,
        startedAt: row.activeStartedAt,
      });

    const failedRelease = releaseOf(row.failedReleaseId, row.failedVersion, row.failedTitle, row.failedCreatedAt);
    const failedStatus = row.failedStatus ? fromSql(DEPLOYMENT_STATUSES, row.failedStatus, "deployment status") : null;
    if (
      row.failedDeploymentId &&
      failedRelease &&
      row.failedFinishedAt &&
      (failedStatus === "failed" || failedStatus === "rolled_back")
    )
      cells.failures.push({
        ...at,
        deploymentId: row.failedDeploymentId,
        status: failedStatus,
        release: failedRelease,
        finishedAt: row.failedFinishedAt,
      });

    const cutRelease = releaseOf(row.cutReleaseId, row.cutVersion, row.cutTitle, row.cutCreatedAt);
    if (row.cutDeploymentId && cutRelease && row.cutAt)
      cells.interrupted.push({
        ...at,
        deploymentId: row.cutDeploymentId,
        release: cutRelease,
        interruptedAt: row.cutAt,
      });

    if (row.holdReleaseId && row.holdVersion !== null && row.holdSince)
      cells.holds.push({
        ...at,
        releaseId: row.holdReleaseId,
        version: row.holdVersion,
        reason: row.holdReason ?? "",
        since: row.holdSince,
      });
  }
  return cells;
}

/**
 * Per application, the newest release that never ran successfully anywhere and is not older
 * than what runs in the first environment: what waits to enter the pipeline. The lower bound
 * keeps the walk short (only releases created since the first stage was last deployed).
 */
async function readUnreleased(firstEnvironmentId: string): Promise<PipelineInput<ReleaseSummary>["unreleased"]> {
  const rows = await db().$queryRaw<(ReleaseSummary & { applicationId: string })[]>`
    select a.id as "applicationId", r.id, r.version, r.title, r."createdAt"
    from "Application" a
    cross join lateral (
      select r.id, r.version, r.title, r."createdAt" from "Release" r
      where r."applicationId" = a.id
        and r."createdAt" >= coalesce((
          select lr."createdAt" from "Deployment" d join "Release" lr on lr.id = d."releaseId"
          where d."applicationId" = a.id and d."environmentId" = ${firstEnvironmentId}::uuid
            and d.status = 'succeeded' and d."finishedAt" is not null
          order by d."finishedAt" desc limit 1
        ), '-infinity'::timestamp)
        and not exists (select 1 from "Deployment" d where d."releaseId" = r.id and d.status = 'succeeded')
      order by r."createdAt" desc, r.id desc
      limit 1
    ) r`;
  return rows.map(({ applicationId, ...release }) => ({ applicationId, release }));
}

/**
 * The board for given stages: applications (1 query), cells (1) and, when there is a first
 * stage, what waits to enter it (1). The three run concurrently.
 */
export async function readPipeline(
  environments: EnvironmentSummary[],
): Promise<Pick<PipelineOverview, "applications" | "pipeline" | "holds">> {
  const first = environments[0];
  const [applications, { holds, ...cells }, unreleased] = await Promise.all([
    readApplications(),
    first ? readCells() : Promise.resolve({ live: [], active: [], failures: [], interrupted: [], holds: [] }),
    first ? readUnreleased(first.id) : Promise.resolve([]),
  ]);
  const pipeline = buildPipeline({ environments, applicationIds: applications.map((a) => a.id), unreleased, ...cells });
  // only where the viewer looks: a hold elsewhere is no business of theirs
  const visible = new Set(environments.map((e) => e.id));
  const held: Record<string, CellHold> = {};
  for (const { applicationId, environmentId, ...hold } of holds)
    if (visible.has(environmentId)) held[cellKey(applicationId, environmentId)] = hold;
  return { applications, pipeline, holds: held };
}

/** The pipeline page: 4 queries whatever the number of releases and deployments. */
async function readOverview(actor: Viewer): Promise<PipelineOverview> {
  const asOf = new Date();
  const environments = await readEnvironments(actor);
  return { asOf, environments, ...(await readPipeline(environments)) };
}

const overviewRead = defineOperation({
  name: "pipeline.overview",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readOverview(actor),
});

/** The pipeline page: 4 queries whatever the number of releases and deployments. */
export function getPipelineOverview(actor: Viewer): Promise<PipelineOverview> {
  return overviewRead(actor, {});
}
