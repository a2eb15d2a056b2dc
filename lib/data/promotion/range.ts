import "server-only";
import { z } from "zod";
import type { Sql } from "../context";
import { Prisma } from "@/lib/generated/prisma/client";
import { actorOf, httpUrl, type Actor } from "../pipeline";

// "What's in this promotion": the releases of the application that promoting a release into an
// environment brings there (or takes away, when the release is older than what runs there).
// What runs is the release of the latest successful deployment there (the pipeline's "live"
// cell, lib/data/pipeline/overview.ts readCells); releases are ordered as everywhere else, by
// createdAt then id. ONE statement whatever the distance: the range's newest RANGE_LIMIT
// releases (LIMIT) and, beside them, the count and the number of changelog entries of all of it;
// the same statement finds the release's next environment, so the release page pays nothing
// for the range (10 statements in all, lib/cli/bench-pages.ts).

/** Releases listed at most; the count covers all of them. */
export const RANGE_LIMIT = 50;

export interface RangeRelease {
  id: string;
  version: string;
  title: string;
  commitSha: string;
  createdAt: Date;
  changelog: string;
  links: { label: string; url: string }[];
  createdBy: Actor;
}

export interface ReleaseRange {
  /**
   * forward: what runs there is older, promoting adds `releases`; first: nothing runs there yet,
   * `releases` is everything up to this one; rollback: what runs there is newer, promoting takes
   * `releases` away; same: this release runs there already (`releases` is empty)
   */
  direction: "forward" | "first" | "rollback" | "same";
  /** what runs in the environment now */
  running: { id: string; version: string; commitSha: string } | null;
  /** newest first, at most RANGE_LIMIT: forward/first from this release back to (not including) what runs; rollback from what runs down to (not including) this one */
  releases: RangeRelease[];
  /** releases in the whole range */
  total: number;
  /** changelog entries (list items) of the whole range */
  changes: number;
  /**
   * GitHub-style compare page `${repo}/compare/${running}...${this}` (for a rollback
   * `${this}...${running}`: what it takes away), when the application names its repository
   */
  compareUrl: string | null;
}

interface RangeRow {
  direction: ReleaseRange["direction"];
  running: { id: string; version: string; commitSha: string } | null;
  thisSha: string;
  repositoryUrl: string | null;
  total: bigint | number;
  changes: bigint | number | null;
  releases:
    | {
        id: string;
        version: string;
        title: string;
        commitSha: string;
        createdAt: string;
        changelog: string;
        links: unknown;
        createdByUser: string | null;
        createdByToken: string | null;
      }[]
    | null;
}

const linksSchema = z
  .array(
    z
      .object({ label: z.string().min(1), url: z.string() })
      .nullable()
      .catch(null),
  )
  .catch([]);

// A changelog line that changelog-blocks.ts parses as a list item: after its indentation a
// bullet (-, *, +) or a number with . or ), white space, then something. `n`: ^ matches at
// each line's start and [[:space:]] does not cross lines.
const ENTRY_LINE = "^[[:space:]]*([-*+]|[0-9]+[.)])[[:space:]]+[^[:space:]]";

/**
 * The stage a release goes to next, as a subquery on the release's id column (`release`, in the
 * enclosing statement): the one after the furthest stage it succeeded in or is being deployed
 * to, or the one it is being deployed to now; the first when none; null after the last. Used by
 * the range (below) and by the "handed on" read (./view.ts), so the two always agree.
 */
export function nextEnvironmentOf(release: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    select e.id from "Environment" e
    where e.position > coalesce((
      select max(de.position) from "Deployment" d join "Environment" de on de.id = d."environmentId"
      where d."releaseId" = ${release} and d.status in ('succeeded', 'queued', 'running', 'paused', 'rolling_back')), -1)
      or e.id = (select d."environmentId" from "Deployment" d where d."releaseId" = ${release}
        and d.status in ('queued', 'running', 'paused', 'rolling_back') order by d."queuedAt" desc limit 1)
    order by e.position limit 1)`;
}

/**
 * The range between what runs in an environment and `releaseId`: in `environmentId`, or, when
 * it is null, in the environment the release goes to next (the one after the furthest where it
 * was deployed successfully or is being deployed; the first if none), which the same statement
 * finds. null when the release does not exist; `environmentId` null when there is no next
 * environment. The caller decides whether the viewer may see the environment before it shows
 * anything of the range.
 */
export async function readReleaseRange(
  sql: Sql,
  releaseId: string,
  environmentId: string | null,
  limit = RANGE_LIMIT,
): Promise<{ environmentId: string | null; range: ReleaseRange } | null> {
  const [row] = await sql.$queryRaw<(RangeRow & { environmentId: string | null })[]>`
    with t as (
      select r.id, r."applicationId" as app, r."createdAt" as at, r."commitSha" from "Release" r
      where r.id = ${releaseId}::uuid
    ), target as (
      select coalesce(${environmentId}::uuid, ${nextEnvironmentOf(Prisma.raw("t.id"))}) as id
      from t
    ), run as (
      select lr.id, lr.version, lr."commitSha", lr."createdAt" as at from t
      cross join lateral (
        select d."releaseId" from "Deployment" d
        where d."applicationId" = t.app and d."environmentId" = (select id from target)
          and d.status = 'succeeded' and d."finishedAt" is not null
        order by d."finishedAt" desc limit 1
      ) live
      join "Release" lr on lr.id = live."releaseId"
    ), b as (
      select t.app, t."commitSha",
        case when run.id is null then 'first' when run.id = t.id then 'same'
          when (run.at, run.id) < (t.at, t.id) then 'forward' else 'rollback' end as direction,
        -- the range is (lo, hi]: lo exclusive (none when nothing runs), hi inclusive
        case when (run.at, run.id) > (t.at, t.id) then t.at else run.at end as lo_at,
        case when (run.at, run.id) > (t.at, t.id) then t.id else run.id end as lo_id,
        case when (run.at, run.id) > (t.at, t.id) then run.at else t.at end as hi_at,
        case when (run.at, run.id) > (t.at, t.id) then run.id else t.id end as hi_id,
        case when run.id is null then null
          else json_build_object('id', run.id, 'version', run.version, 'commitSha', run."commitSha") end as running
      from t left join run on true
    ), inside as (
      select r.* from "Release" r, b
      where r."applicationId" = b.app and (select id from target) is not null
        and (b.lo_id is null or (r."createdAt", r.id) > (b.lo_at, b.lo_id))
        and (r."createdAt", r.id) <= (b.hi_at, b.hi_id)
    )
    select (select id from target) as "environmentId", b.direction, b.running, b."commitSha" as "thisSha", a."repositoryUrl",
      (select count(*) from inside) as total,
      (select sum((select count(*) from regexp_matches(i.changelog, ${ENTRY_LINE}, 'gn'))) from inside i) as changes,
      (select json_agg(json_build_object('id', p.id, 'version', p.version, 'title', p.title, 'commitSha', p."commitSha",
          'createdAt', p."createdAt", 'changelog', p.changelog, 'links', p.links,
          'createdByUser', coalesce(u.name, u.email), 'createdByToken', tk.name)
          order by p."createdAt" desc, p.id desc)
        from (select * from inside order by "createdAt" desc, id desc limit ${limit}) p
        left join "User" u on u.id = p."createdById"
        left join "ApiToken" tk on tk.id = p."createdByTokenId") as releases
    from b join "Application" a on a.id = b.app`;
  if (!row) return null;
  const repository = httpUrl(row.repositoryUrl);
  const releases = (row.releases ?? []).map((r): RangeRelease => ({
    id: r.id,
    version: r.version,
    title: r.title,
    commitSha: r.commitSha,
    // json_build_object writes timestamps without a zone: they are UTC
    createdAt: new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(r.createdAt) ? r.createdAt : `${r.createdAt}Z`),
    changelog: r.changelog,
    links: linksSchema.parse(r.links).flatMap((link) => {
      const url = httpUrl(link?.url);
      return link && url ? [{ label: link.label, url }] : [];
    }),
    createdBy: actorOf(r.createdByUser, r.createdByToken),
  }));
  // forward: the commits promoting brings; rollback: the ones it takes away
  const [from, to] =
    row.direction === "rollback" ? [row.thisSha, row.running?.commitSha] : [row.running?.commitSha, row.thisSha];
  const compareUrl =
    repository && from && to && row.direction !== "same"
      ? `${repository.replace(/\/+$/, "")}/compare/${encodeURIComponent(from)}...${encodeURIComponent(to)}`
      : null;
  return {
    environmentId: row.environmentId,
    range: {
      direction: row.direction,
      running: row.running,
      releases,
      total: Number(row.total),
      changes: Number(row.changes ?? 0),
      compareUrl,
    },
  };
}
