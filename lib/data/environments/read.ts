import "server-only";
import type { ChecklistPhase } from "@/lib/domain/deployment-checklist";
import { environmentKey, noInput } from "../input";
import { z } from "zod";
import { defineOperation } from "../operation";
import type { Actor as Viewer } from "@/lib/domain/access";
import { db } from "../../db";
import { cellKey, type PipelineCell } from "../../domain/pipeline";
import { NotFoundError } from "../errors";
import {
  deploymentColumns,
  readEnvironments,
  readPipeline,
  toDeploymentSummary,
  type ApplicationSummary,
  type CellHold,
  type DeploymentRow,
  type DeploymentSummary,
  type EnvironmentSummary,
  type ReleaseSummary,
} from "../pipeline";
import { httpUrl } from "../pipeline/summaries";

// An environment's settings and what happens in it. Reads take no user yet; when sign-in lands
// they gain an `actor` parameter here and check environment.view.

export type ChecklistTimingName = "before_entry" | "before_exit";

export interface ChecklistTemplateSummary {
  name: string;
  /** before_entry: ticked before a release deploys here; before_exit: while it runs here, before it moves on */
  timing: ChecklistTimingName;
  items: {
    id: string;
    position: number;
    section: string | null;
    /** before: part of the release's checklist (a gate); during / after: copied onto each deployment */
    phase: ChecklistPhase;
    label: string;
    hint: string | null;
    required: boolean;
    /** the CI check whose success ticks the item in a release's copy */
    checkName: string | null;
    /** only that check may tick it */
    ciOnly: boolean;
  }[];
}

export interface FreezeWindowSummary {
  id: string;
  kind: "one_off" | "weekly";
  reason: string;
  timeZone: string;
  startsAt: Date | null;
  endsAt: Date | null;
  /** weekly windows: 0 = Sunday … 6 = Saturday, minutes after local midnight, length */
  weekday: number | null;
  startMinute: number | null;
  durationMinutes: number | null;
}

export interface FlagStateSummary {
  key: string;
  name: string;
  category: string;
  enabled: boolean;
  /** null: everyone gets it when enabled */
  rolloutPercent: number | null;
  updatedAt: Date | null;
}

export interface EnvironmentDeployment extends DeploymentSummary {
  application: ApplicationSummary;
  release: ReleaseSummary;
}

export interface EnvironmentDetail extends EnvironmentSummary {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  previous: EnvironmentSummary | null;
  next: EnvironmentSummary | null;
  /**
   * the pipeline's column for this environment: per application, what runs and what waits, the
   * version it holds after a rollback, and the release a rollback would put back (the latest
   * other release that succeeded here; the rollback operation decides again)
   */
  applications: {
    application: ApplicationSummary;
    cell: PipelineCell<ReleaseSummary>;
    hold: CellHold | null;
    rollbackTo: RollbackTarget | null;
    /** where what runs answers, as its last successful deployment reported (http(s) only) */
    url: string | null;
  }[];
  recentDeployments: EnvironmentDeployment[];
  freezeWindows: FreezeWindowSummary[];
  checklist: ChecklistTemplateSummary | null;
  flags: FlagStateSummary[];
}

export const RECENT_DEPLOYMENTS = 15;

/**
 * One environment's page. 9 queries: the stages with their settings (1), then concurrently the
 * pipeline column (applications, cells with their holds, waiting releases: 3), recent
 * deployments, freeze windows, checklist template, flag states, and what runs here with its
 * address and rollback target (1 each).
 * An unknown key costs the first only.
 */
async function readEnvironment(actor: Viewer, key: string): Promise<EnvironmentDetail> {
  const asOf = new Date();
  const environments = await readEnvironments(actor);
  const index = environments.findIndex((e) => e.key === key);
  const environment = environments[index];
  if (!environment) throw new NotFoundError(`Environment "${key}"`);

  const [{ applications, pipeline, holds }, recentDeployments, freezeWindows, checklist, flags, runningHere] =
    await Promise.all([
      readPipeline(environments),
      readRecentDeployments(environment.id),
      readFreezeWindows(environment.id, asOf),
      readChecklist(environment.id),
      readFlags(environment.id),
      readRunningHere(environment.id),
    ]);

  return {
    ...environment,
    asOf,
    previous: environments[index - 1] ?? null,
    next: environments[index + 1] ?? null,
    applications: pipeline.rows.flatMap((row) => {
      const application = applications.find((a) => a.id === row.applicationId);
      const cell = row.cells.find((c) => c.environmentId === environment.id);
      return application && cell
        ? [
            {
              application,
              cell,
              hold: holds[cellKey(application.id, environment.id)] ?? null,
              rollbackTo: runningHere.rollbackTargets.get(application.id) ?? null,
              url: runningHere.urls.get(application.id) ?? null,
            },
          ]
        : [];
    }),
    recentDeployments,
    freezeWindows,
    checklist,
    flags,
  };
}

type RecentRow = DeploymentRow & {
  applicationId: string;
  applicationKey: string;
  applicationName: string;
  releaseId: string;
  releaseVersion: string;
  releaseTitle: string;
  releaseCreatedAt: Date;
};

async function readRecentDeployments(environmentId: string): Promise<EnvironmentDeployment[]> {
  // walks the (environmentId, queuedAt desc) index: the newest few, however long the history
  const rows = await db().$queryRaw<RecentRow[]>`
    select ${deploymentColumns},
      a.id as "applicationId", a.key as "applicationKey", a.name as "applicationName",
      r.id as "releaseId", r.version as "releaseVersion", r.title as "releaseTitle", r."createdAt" as "releaseCreatedAt"
    from "Deployment" d
    join "Release" r on r.id = d."releaseId"
    join "Application" a on a.id = d."applicationId"
    left join "User" u on u.id = d."triggeredById"
    left join "ApiToken" t on t.id = d."triggeredByTokenId"
    where d."environmentId" = ${environmentId}::uuid
    order by d."queuedAt" desc, d.id desc
    limit ${RECENT_DEPLOYMENTS}`;
  return rows.map((row) => ({
    ...toDeploymentSummary(row),
    application: { id: row.applicationId, key: row.applicationKey, name: row.applicationName },
    release: {
      id: row.releaseId,
      version: row.releaseVersion,
      title: row.releaseTitle,
      createdAt: row.releaseCreatedAt,
    },
  }));
}

/** Versions a rollback takes away that the page names; the count covers all of them. */
export const ROLLBACK_VERSIONS_SHOWN = 20;

export interface RollbackTarget {
  releaseId: string;
  version: string;
  /**
   * the releases the rollback takes away: newer than the one put back, up to and including the
   * one that runs (release order: createdAt, then id); `versions` newest first, at most
   * ROLLBACK_VERSIONS_SHOWN
   */
  takesAway: { total: number; versions: string[] };
}

/**
 * Per application, the release a rollback here would put back: the latest succeeded release
 * other than the one that succeeded last, in the order the rollback operation reads them, and
 * what it takes away. Two short index walks per application (the (applicationId, environmentId,
 * status, finishedAt) index) and two on (applicationId, createdAt): still one statement.
 */
/**
 * Per application running here: the address its last successful deployment reported (where the
 * release answers: the demo's proxy on the port it found free, say), and the release a rollback
 * would put back. One statement.
 */
async function readRunningHere(
  environmentId: string,
): Promise<{ rollbackTargets: Map<string, RollbackTarget>; urls: Map<string, string> }> {
  const rows = await db().$queryRaw<
    {
      applicationId: string;
      serviceUrl: string | null;
      releaseId: string | null;
      version: string | null;
      total: bigint | number | null;
      versions: string[] | null;
    }[]
  >`
    select a.id as "applicationId", cur."serviceUrl", r.id as "releaseId", r.version,
      (select count(*) from "Release" x where x."applicationId" = a.id
        and (x."createdAt", x.id) > (r."createdAt", r.id) and (x."createdAt", x.id) <= (cr."createdAt", cr.id)) as total,
      array(select x.version from "Release" x where x."applicationId" = a.id
        and (x."createdAt", x.id) > (r."createdAt", r.id) and (x."createdAt", x.id) <= (cr."createdAt", cr.id)
        order by x."createdAt" desc, x.id desc limit ${ROLLBACK_VERSIONS_SHOWN}) as versions
    from "Application" a
    cross join lateral (
      select d."releaseId", d."serviceUrl" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = ${environmentId}::uuid and d.status = 'succeeded'
      order by d."finishedAt" desc nulls last, d."queuedAt" desc limit 1
    ) cur
    left join lateral (
      select d."releaseId" from "Deployment" d
      where d."applicationId" = a.id and d."environmentId" = ${environmentId}::uuid and d.status = 'succeeded'
        and d."releaseId" <> cur."releaseId"
      order by d."finishedAt" desc nulls last, d."queuedAt" desc limit 1
    ) prev on true
    left join "Release" r on r.id = prev."releaseId"
    join "Release" cr on cr.id = cur."releaseId"`;
  const rollbackTargets = new Map<string, RollbackTarget>();
  const urls = new Map<string, string>();
  for (const row of rows) {
    const url = httpUrl(row.serviceUrl);
    if (url) urls.set(row.applicationId, url);
    if (row.releaseId && row.version)
      rollbackTargets.set(row.applicationId, {
        releaseId: row.releaseId,
        version: row.version,
        takesAway: { total: Number(row.total ?? 0), versions: row.versions ?? [] },
      });
  }
  return { rollbackTargets, urls };
}

async function readFreezeWindows(environmentId: string, now: Date): Promise<FreezeWindowSummary[]> {
  // weekly windows always apply; one-off windows only until they end
  const rows = await db().freezeWindow.findMany({
    where: { environmentId, OR: [{ kind: "WEEKLY" }, { endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: [{ kind: "asc" }, { startsAt: "asc" }, { weekday: "asc" }, { startMinute: "asc" }],
    select: {
      id: true,
      kind: true,
      reason: true,
      timeZone: true,
      startsAt: true,
      endsAt: true,
      weekday: true,
      startMinute: true,
      durationMinutes: true,
    },
  });
  return rows.map((row) => ({ ...row, kind: row.kind === "WEEKLY" ? "weekly" : "one_off" }));
}

interface ChecklistRow {
  name: string;
  timing: ChecklistTimingName;
  id: string | null;
  position: number | null;
  section: string | null;
  phase: ChecklistPhase | null;
  label: string | null;
  hint: string | null;
  required: boolean | null;
  checkName: string | null;
  ciOnly: boolean | null;
}

async function readChecklist(environmentId: string): Promise<ChecklistTemplateSummary | null> {
  const rows = await db().$queryRaw<ChecklistRow[]>`
    select t.name, t.timing::text as timing, i.id, i.position, i.section, i.phase::text as phase, i.label, i.hint, i.required,
      i."checkName", i."ciOnly"
    from "ChecklistTemplate" t
    left join "ChecklistTemplateItem" i on i."templateId" = t.id
    where t."environmentId" = ${environmentId}::uuid
    order by i.position, i.id`;
  const first = rows[0];
  if (!first) return null;
  return {
    name: first.name,
    timing: first.timing,
    items: rows.flatMap((r) =>
      r.id !== null && r.label !== null
        ? [
            {
              id: r.id,
              position: r.position ?? 0,
              section: r.section,
              phase: r.phase ?? "before",
              label: r.label,
              hint: r.hint,
              required: r.required ?? true,
              checkName: r.checkName,
              ciOnly: r.ciOnly ?? false,
            },
          ]
        : [],
    ),
  };
}

interface FlagRow {
  key: string;
  name: string;
  category: string;
  enabled: boolean | null;
  rolloutPercent: number | null;
  updatedAt: Date | null;
}

async function readFlags(environmentId: string): Promise<FlagStateSummary[]> {
  // a flag without a state row in this environment is off here
  const rows = await db().$queryRaw<FlagRow[]>`
    select f.key, f.name, f.category, s.enabled, s."rolloutPercent", s."updatedAt"
    from "FeatureFlag" f
    left join "FlagState" s on s."flagId" = f.id and s."environmentId" = ${environmentId}::uuid
    where f."archivedAt" is null
    order by f.category, f.key`;
  return rows.map((r) => ({ ...r, enabled: r.enabled ?? false }));
}

const listRead = defineOperation({
  name: "environment.list",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readEnvironments(actor),
});

/** The pipeline's stages in order, with their settings at a glance. One query. */
export function listEnvironments(actor: Viewer): Promise<EnvironmentSummary[]> {
  return listRead(actor, {});
}

// "visible": an environment the actor may not view is unknown (NotFoundError), in one query
const detailRead = defineOperation({
  name: "environment.read",
  scope: "visible",
  effect: "read",
  input: z.object({ key: environmentKey }),
  run: ({ actor, input }) => readEnvironment(actor, input.key),
});

/** One environment's page (see readEnvironment). */
export function getEnvironment(actor: Viewer, key: string): Promise<EnvironmentDetail> {
  return detailRead(actor, { key });
}
