import "server-only";
import { defineOperation } from "../operation";
import type { Actor as Viewer } from "@/lib/domain/access";
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import { db } from "../../db";
import { releasePath, type PathState, type PathStep } from "../../domain/pipeline";
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from "@/lib/domain/deployment-state";
import { fromSql } from "../enums";
import { NotFoundError } from "../errors";
import { storable } from "../input";
import {
  actorOf,
  deploymentColumns,
  httpUrl,
  readApplications,
  readCells,
  readEnvironments,
  toDeploymentSummary,
  type Actor,
  type ApplicationSummary,
  type DeploymentRow,
  type DeploymentSummary,
  type EnvironmentSummary,
  type ReleaseSummary,
} from "../pipeline";

// Releases: the paginated list and one release's page. Reads take no user yet; when sign-in
// lands they gain an `actor` parameter here.

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface ReleaseListItem extends ReleaseSummary {
  commitSha: string;
  application: ApplicationSummary;
  createdBy: Actor;
  /** per environment, in pipeline order: where this release stands there */
  stages: { environmentId: string; state: PathState; status: DeploymentStatus | null; at: Date | null }[];
}

export interface ReleaseList {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  items: ReleaseListItem[];
  environments: EnvironmentSummary[];
  applications: ApplicationSummary[];
  /** the application the list is narrowed to, if any */
  application: ApplicationSummary | null;
  /** an application key asked for that does not exist (the list is then empty) */
  unknownApplication: string | null;
  /** 1-based, clamped to the last page */
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export interface ReleaseDeployment extends DeploymentSummary {
  environmentId: string;
}

export interface ReleaseDetail extends ReleaseSummary {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  commitSha: string;
  commitAt: Date | null;
  /** the branch it was built from, if CI said (branch rules need it) */
  branch: string | null;
  changelog: string;
  links: { label: string; url: string }[];
  application: ApplicationSummary & { repositoryUrl: string | null };
  createdBy: Actor;
  /** per environment in pipeline order; runningInstead is what that environment runs if not this */
  path: (PathStep<ReleaseDeployment, ReleaseSummary> & {
    environment: EnvironmentSummary;
    /**
     * a deploy of this application there was interrupted and nothing succeeded since: what
     * runs is unknown (`release` was being deployed, `before` is what ran before it)
     */
    unknown: { deploymentId: string; release: ReleaseSummary; before: ReleaseSummary | null; since: Date } | null;
  })[];
  /** every attempt, newest first */
  deployments: ReleaseDeployment[];
}

// Query-string input: anything unusable falls back to the first page rather than failing
const listInput = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).catch(DEFAULT_PAGE_SIZE),
  // a key no application can have (a NUL, say) falls back to the whole list like other junk
  application: z.string().trim().min(1).max(200).refine(storable).optional().catch(undefined),
});

// Ids are UUIDs; PostgreSQL rejects a malformed one with an error, which must be a 404 instead.
// z.guid() accepts any 8-4-4-4-12 hex form, as PostgreSQL does (not only RFC 9562 variants).
const releaseId = z.guid();

interface ListRow {
  id: string;
  version: string;
  title: string;
  commitSha: string;
  createdAt: Date;
  applicationId: string;
  createdByUser: string | null;
  createdByToken: string | null;
}

interface StageRow {
  releaseId: string;
  environmentId: string;
  id: string;
  status: string;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * A page of releases, newest first, each with where it stands per environment. 6 queries
 * whatever the page or the history: stages, applications and what runs where (concurrently),
 * the count, the page's rows, and the latest deployment per row × environment.
 */
async function readReleaseList(actor: Viewer, input: z.output<typeof listInput>): Promise<ReleaseList> {
  const asOf = new Date();
  const { page: askedPage, pageSize, application: applicationKey } = input;
  const [environments, applications, cells] = await Promise.all([
    readEnvironments(actor),
    readApplications(),
    readCells(),
  ]);

  const application = applicationKey ? (applications.find((a) => a.key === applicationKey) ?? null) : null;
  const base = { asOf, environments, applications, application, pageSize };
  if (applicationKey && !application)
    return { ...base, items: [], unknownApplication: applicationKey, page: 1, pageCount: 1, total: 0 };

  const [{ total } = { total: 0 }] = application
    ? await db().$queryRaw<
        { total: number }[]
      >`select count(*)::int as total from "Release" where "applicationId" = ${application.id}::uuid`
    : await db().$queryRaw<{ total: number }[]>`select count(*)::int as total from "Release"`;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(askedPage, pageCount);
  const result = { ...base, unknownApplication: null, page, pageCount, total };
  if (total === 0) return { ...result, items: [] };

  const offset = (page - 1) * pageSize;
  // a deferred join: find the page's ids on narrow (id, createdAt) pairs first, then read the
  // wide columns of those rows only, so a deep page never sorts whole joined rows
  const rows = await db().$queryRaw<ListRow[]>`
    with page as (
      select id, "createdAt" from "Release"
      ${application ? Prisma.sql`where "applicationId" = ${application.id}::uuid` : Prisma.empty}
      order by "createdAt" desc, id desc
      limit ${pageSize} offset ${offset}
    )
    select r.id, r.version, r.title, r."commitSha", r."createdAt", r."applicationId",
      coalesce(u.name, u.email) as "createdByUser", t.name as "createdByToken"
    from page
    join "Release" r on r.id = page.id
    left join "User" u on u.id = r."createdById"
    left join "ApiToken" t on t.id = r."createdByTokenId"
    order by page."createdAt" desc, page.id desc`;

  // the latest attempt per release × environment, for the whole page at once
  const stageRows = rows.length
    ? await db().$queryRaw<StageRow[]>`
        select distinct on (d."releaseId", d."environmentId")
          d."releaseId", d."environmentId", d.id, d.status::text as status, d."queuedAt", d."startedAt", d."finishedAt"
        from "Deployment" d
        where d."releaseId" = any(${rows.map((r) => r.id)}::uuid[])
        order by d."releaseId", d."environmentId", d."queuedAt" desc, d.id desc`
    : [];

  const applicationsById = new Map(applications.map((a) => [a.id, a]));
  const items = rows.flatMap((row): ReleaseListItem[] => {
    const app = applicationsById.get(row.applicationId);
    if (!app) return [];
    const attempts = stageRows
      .filter((s) => s.releaseId === row.id)
      .map((s) => ({ ...s, status: fromSql(DEPLOYMENT_STATUSES, s.status, "deployment status") }));
    const live = new Map(
      cells.live.filter((c) => c.applicationId === row.applicationId).map((c) => [c.environmentId, c.release]),
    );
    const unknown = new Map(
      cells.interrupted.filter((c) => c.applicationId === row.applicationId).map((c) => [c.environmentId, c]),
    );
    const release = { id: row.id, version: row.version, title: row.title, createdAt: row.createdAt };
    return [
      {
        ...release,
        commitSha: row.commitSha,
        application: app,
        createdBy: actorOf(row.createdByUser, row.createdByToken),
        stages: releasePath({ release, environments, attempts, live, unknown }).map((step) => ({
          environmentId: step.environmentId,
          state: step.state,
          status: step.latest?.status ?? null,
          at: step.latest ? (step.latest.finishedAt ?? step.latest.startedAt ?? step.latest.queuedAt) : null,
        })),
      },
    ];
  });
  return { ...result, items };
}

interface DetailRow {
  id: string;
  version: string;
  title: string;
  commitSha: string;
  commitAt: Date | null;
  branch: string | null;
  changelog: string;
  links: unknown;
  createdAt: Date;
  applicationId: string;
  applicationKey: string;
  applicationName: string;
  repositoryUrl: string | null;
  createdByUser: string | null;
  createdByToken: string | null;
}

const linksSchema = z
  .array(
    z
      .object({ label: z.string().min(1), url: z.string() })
      .nullable()
      .catch(null),
  )
  .catch([]);

/**
 * One release with its path through the environments and every deployment attempt. 4 queries:
 * the release (1), then concurrently its deployments, the stages and what runs in each stage
 * for its application. Unknown or malformed id: NotFoundError after at most one query.
 */
async function readRelease(actor: Viewer, id: string): Promise<ReleaseDetail> {
  const asOf = new Date();
  const parsed = releaseId.safeParse(id);
  if (!parsed.success) throw new NotFoundError("Release");

  const [row] = await db().$queryRaw<DetailRow[]>`
    select r.id, r.version, r.title, r."commitSha", r."commitAt", r.branch, r.changelog, r.links, r."createdAt",
      a.id as "applicationId", a.key as "applicationKey", a.name as "applicationName", a."repositoryUrl",
      coalesce(u.name, u.email) as "createdByUser", t.name as "createdByToken"
    from "Release" r
    join "Application" a on a.id = r."applicationId"
    left join "User" u on u.id = r."createdById"
    left join "ApiToken" t on t.id = r."createdByTokenId"
    where r.id = ${parsed.data}::uuid`;
  if (!row) throw new NotFoundError("Release");

  const [deploymentRows, environments, cells] = await Promise.all([
    db().$queryRaw<(DeploymentRow & { environmentId: string })[]>`
      select ${deploymentColumns}, d."environmentId"
      from "Deployment" d
      left join "User" u on u.id = d."triggeredById"
      left join "ApiToken" t on t.id = d."triggeredByTokenId"
      where d."releaseId" = ${row.id}::uuid
      order by d."queuedAt" desc, d.id desc`,
    readEnvironments(actor),
    readCells({ applicationId: row.applicationId }),
  ]);

  // attempts in environments the actor may not see stay out of the page
  const visible = new Set(environments.map((e) => e.id));
  const deployments = deploymentRows
    .filter((d) => visible.has(d.environmentId))
    .map((d) => ({ ...toDeploymentSummary(d), environmentId: d.environmentId }));
  const release = { id: row.id, version: row.version, title: row.title, createdAt: row.createdAt };
  const live = new Map(cells.live.map((c) => [c.environmentId, c.release]));
  const unknown = new Map(cells.interrupted.map((c) => [c.environmentId, c]));
  const environmentsById = new Map(environments.map((e) => [e.id, e]));
  const path = releasePath({ release, environments, attempts: deployments, live, unknown }).flatMap((step) => {
    const environment = environmentsById.get(step.environmentId);
    const cut = unknown.get(step.environmentId);
    const interrupted = cut
      ? {
          deploymentId: cut.deploymentId,
          release: cut.release,
          before: live.get(step.environmentId) ?? null,
          since: cut.interruptedAt,
        }
      : null;
    return environment ? [{ ...step, environment, unknown: interrupted }] : [];
  });

  return {
    ...release,
    asOf,
    commitSha: row.commitSha,
    commitAt: row.commitAt,
    branch: row.branch,
    changelog: row.changelog,
    links: linksSchema.parse(row.links).flatMap((link) => {
      const url = httpUrl(link?.url);
      return link && url ? [{ label: link.label, url }] : [];
    }),
    application: {
      id: row.applicationId,
      key: row.applicationKey,
      name: row.applicationName,
      repositoryUrl: httpUrl(row.repositoryUrl),
    },
    createdBy: actorOf(row.createdByUser, row.createdByToken),
    path,
    deployments,
  };
}

const listRead = defineOperation({
  name: "release.list",
  scope: "visible",
  effect: "read",
  input: listInput,
  run: ({ actor, input }) => readReleaseList(actor, input),
});

/** A page of releases, newest first (see readReleaseList). */
export function listReleases(
  actor: Viewer,
  input: { page?: number | string; pageSize?: number | string; application?: string } = {},
): Promise<ReleaseList> {
  return listRead(actor, input);
}

const detailRead = defineOperation({
  name: "release.read",
  scope: "visible",
  effect: "read",
  input: z.object({ id: z.string().max(100) }),
  run: ({ actor, input }) => readRelease(actor, input.id),
});

/** One release and its path through the pipeline. Unknown or malformed id: NotFoundError. */
export function getRelease(actor: Viewer, id: string): Promise<ReleaseDetail> {
  return detailRead(actor, { id });
}
