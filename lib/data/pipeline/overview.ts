import "server-only";
import { can, type Actor as Viewer } from "@/lib/domain/access";
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import { db } from "../../db";
import { buildPipeline, type Pipeline, type PipelineInput } from "../../domain/pipeline";
import { toDeploymentStatus, type DeploymentStatus } from "../../domain/status";

// Where releases stand: the pipeline's stages, its applications and, per application ×
// environment, what runs there. The environment and release pages build on the readers here.
// Reads take no user yet; when sign-in lands, each gains an `actor` first parameter here.
// Multi-table reads are single SQL statements (joins, LATERAL) rather than Prisma `include`s,
// which would cost one query per relation: every page stays within a fixed number of queries.

export type RolloutStrategyName = "direct" | "blue_green" | "canary";

export interface RolloutStep {
  percent: number;
  pauseSeconds: number;
}

export interface HealthCheck {
  path: string | null;
  intervalSeconds: number;
  failureThreshold: number;
  errorRateThresholdPercent: number | null;
}

/** A stage of the pipeline and its settings (a small table: always read whole). */
export interface EnvironmentSummary {
  id: string;
  key: string;
  name: string;
  description: string | null;
  position: number;
  protected: boolean;
  /** #rrggbb, checked: safe to put in a style attribute */
  color: string;
  url: string | null;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  soakMinutes: number;
  autoPromote: boolean;
  rolloutStrategy: RolloutStrategyName;
  rolloutSteps: RolloutStep[];
  healthCheck: HealthCheck;
}

export interface ApplicationSummary {
  id: string;
  key: string;
  name: string;
}

export interface ReleaseSummary {
  id: string;
  version: string;
  title: string;
  createdAt: Date;
}

/** Who did something: a person, a CI token, or Greenlight itself (a rollback, an auto-promote). */
export interface Actor {
  kind: "user" | "token" | "system";
  label: string;
}

export interface DeploymentSummary {
  id: string;
  status: DeploymentStatus;
  strategy: RolloutStrategyName;
  trafficPercent: number;
  failureReason: string | null;
  isRollback: boolean;
  /** why it was promoted inside a freeze window, when it was */
  overrideReason: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  triggeredBy: Actor;
}

export interface PipelineOverview {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  environments: EnvironmentSummary[];
  applications: ApplicationSummary[];
  pipeline: Pipeline<ReleaseSummary>;
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const FALLBACK_COLOR = "#64748b";

/** Only http(s) links leave the data layer: a `javascript:` URL in the database must not become a link. */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

export function toStrategy(value: string): RolloutStrategyName {
  const lower = value.toLowerCase();
  if (lower === "direct" || lower === "blue_green" || lower === "canary") return lower;
  throw new Error(`unknown rollout strategy ${value}`);
}

export function actorOf(user: string | null, token: string | null): Actor {
  if (user) return { kind: "user", label: user };
  if (token) return { kind: "token", label: `token ${token}` };
  return { kind: "system", label: "Greenlight" };
}

const environmentSelect = {
  id: true,
  key: true,
  name: true,
  description: true,
  position: true,
  protected: true,
  color: true,
  url: true,
  requiredApprovals: true,
  preventSelfApproval: true,
  soakMinutes: true,
  autoPromote: true,
  rolloutStrategy: true,
  rolloutSteps: true,
  healthCheckPath: true,
  healthCheckIntervalSeconds: true,
  healthCheckFailureThreshold: true,
  errorRateThresholdPercent: true,
} as const;

type EnvironmentRow = Prisma.EnvironmentGetPayload<{ select: typeof environmentSelect }>;

// rolloutSteps is free JSON: keep the well-formed steps rather than fail every page over one
const rolloutStepsSchema = z
  .array(
    z
      .object({ percent: z.number().min(0).max(100), pauseSeconds: z.number().min(0).optional() })
      .catch({ percent: -1 }),
  )
  .catch([]);

function toEnvironmentSummary(row: EnvironmentRow): EnvironmentSummary {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    position: row.position,
    protected: row.protected,
    color: HEX_COLOR.test(row.color) ? row.color : FALLBACK_COLOR,
    url: httpUrl(row.url),
    requiredApprovals: row.requiredApprovals,
    preventSelfApproval: row.preventSelfApproval,
    soakMinutes: row.soakMinutes,
    autoPromote: row.autoPromote,
    rolloutStrategy: toStrategy(row.rolloutStrategy),
    rolloutSteps: rolloutStepsSchema
      .parse(row.rolloutSteps)
      .filter((step) => step.percent >= 0)
      .map((step) => ({ percent: step.percent, pauseSeconds: step.pauseSeconds ?? 0 })),
    healthCheck: {
      path: row.healthCheckPath,
      intervalSeconds: row.healthCheckIntervalSeconds,
      failureThreshold: row.healthCheckFailureThreshold,
      errorRateThresholdPercent: row.errorRateThresholdPercent,
    },
  };
}

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
}

type Cells = Pick<PipelineInput<ReleaseSummary>, "live" | "active" | "failures">;

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
 * there), the newest queued/running one and the latest failed/rolled-back one. Each LATERAL is
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
      br.id as "failedReleaseId", br.version as "failedVersion", br.title as "failedTitle", br."createdAt" as "failedCreatedAt"
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
      where d."applicationId" = a.id and d."environmentId" = e.id and d.status in ('queued', 'running')
      order by d.status = 'running' desc, d."queuedAt" desc limit 1
    ) act on true
    left join "Release" ar on ar.id = act."releaseId"
    left join lateral (
      select d.id, d."releaseId", d.status, d."finishedAt" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = e.id and d.status in ('failed', 'rolled_back') and d."finishedAt" is not null
      order by d."finishedAt" desc limit 1
    ) bad on true
    left join "Release" br on br.id = bad."releaseId"
    ${where}`;

  const cells: {
    live: Cells["live"][number][];
    active: Cells["active"][number][];
    failures: Cells["failures"][number][];
  } = {
    live: [],
    active: [],
    failures: [],
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
    const activeStatus = row.activeStatus ? toDeploymentStatus(row.activeStatus) : null;
    if (
      row.activeDeploymentId &&
      activeRelease &&
      row.activeQueuedAt &&
      (activeStatus === "queued" || activeStatus === "running")
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
    const failedStatus = row.failedStatus ? toDeploymentStatus(row.failedStatus) : null;
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
): Promise<Pick<PipelineOverview, "applications" | "pipeline">> {
  const first = environments[0];
  const [applications, cells, unreleased] = await Promise.all([
    readApplications(),
    first ? readCells() : Promise.resolve({ live: [], active: [], failures: [] }),
    first ? readUnreleased(first.id) : Promise.resolve([]),
  ]);
  const pipeline = buildPipeline({ environments, applicationIds: applications.map((a) => a.id), unreleased, ...cells });
  return { applications, pipeline };
}

/** The pipeline page: 4 queries whatever the number of releases and deployments. */
export async function getPipelineOverview(actor: Viewer): Promise<PipelineOverview> {
  const asOf = new Date();
  const environments = await readEnvironments(actor);
  return { asOf, environments, ...(await readPipeline(environments)) };
}

export interface DeploymentRow {
  id: string;
  status: string;
  strategy: string;
  trafficPercent: number;
  failureReason: string | null;
  rollbackOfId: string | null;
  overrideReason: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  triggeredByUser: string | null;
  triggeredByToken: string | null;
}

/** Columns for a DeploymentRow; join "User" u and "ApiToken" t on the deployment d. */
export const deploymentColumns = Prisma.sql`
  d.id, d.status::text as status, d.strategy::text as strategy, d."trafficPercent", d."failureReason", d."rollbackOfId",
  d."overrideReason", d."queuedAt", d."startedAt", d."finishedAt",
  coalesce(u.name, u.email) as "triggeredByUser", t.name as "triggeredByToken"`;

export function toDeploymentSummary(row: DeploymentRow): DeploymentSummary {
  return {
    id: row.id,
    status: toDeploymentStatus(row.status),
    strategy: toStrategy(row.strategy),
    trafficPercent: row.trafficPercent,
    failureReason: row.failureReason,
    isRollback: row.rollbackOfId !== null,
    overrideReason: row.overrideReason,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    triggeredBy: actorOf(row.triggeredByUser, row.triggeredByToken),
  };
}
