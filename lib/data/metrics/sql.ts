import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { HOTFIX_SQL_PATTERN, type DoraWindow, type TrendUnit } from "@/lib/domain/dora";
import type { Tx } from "../context";

// The metrics in SQL, set-based: one statement classifies an environment's finished deployments
// in the window and aggregates them by week (or month) and in total (grouping sets, percentile_cont). lib/domain/dora.ts is the
// specification; metrics.test.ts checks both agree.

export interface MetricsScope {
  environmentId: string;
  /** null: every application */
  applicationId: string | null;
}

// the columns are UTC timestamps without a zone: compare in UTC whatever the session's zone
function inWindow(window: DoraWindow): Prisma.Sql {
  return Prisma.sql`d."finishedAt" >= (${window.from.toISOString()}::timestamptz at time zone 'UTC')
    and d."finishedAt" < (${window.to.toISOString()}::timestamptz at time zone 'UTC')`;
}

/**
 * The scope's finished deployments in the window, classified, in one pass over the window (the
 * (environmentId, finishedAt) index) with window functions, so the cost follows the window's
 * rows and not the whole history:
 * - rolled back: a hash join with the set of deployments some rollback points at (the
 *   rollbackOfId index; small whatever the history);
 * - first success of its release here: the first success of the release within the window, and
 *   none before the window. Only a release created before the window can have one (a deployment
 *   never finishes before its release exists), so only those rows look one up;
 * - the next success of the application after a failure: the nearest later success within the
 *   window, read backwards; looked up (the (applicationId, environmentId, status, finishedAt)
 *   index) only when there is none later in the window or it finished at the same instant.
 * lib/domain/dora.ts classify() is the specification; metrics.test.ts checks both agree.
 */
function classified(scope: MetricsScope, window: DoraWindow): Prisma.Sql {
  const application = scope.applicationId
    ? Prisma.sql`and d."applicationId" = ${scope.applicationId}::uuid`
    : Prisma.empty;
  const env = Prisma.sql`${scope.environmentId}::uuid`;
  const from = Prisma.sql`(${window.from.toISOString()}::timestamptz at time zone 'UTC')`;
  return Prisma.sql`
    rolled as (
      select distinct x."rollbackOfId" as id from "Deployment" x
      where x."rollbackOfId" is not null and x.kind = 'rollback' and x.status <> 'cancelled'
    ),
    base as (
      select d.id, d."applicationId", d."releaseId", d.status::text as status, d.kind::text as kind,
        d."rollbackOfId", d."finishedAt", coalesce(r."commitAt", r."createdAt") as "changeAt",
        r.version, r.title,
        -- one regex over both (the space cannot take part in a match): half the cost of two
        ((r.title || ' ' || r.version) ~* ${HOTFIX_SQL_PATTERN}) as hotfix,
        (d.status <> 'succeeded' or rd.id is not null) as failure,
        (d.status = 'succeeded'
          and row_number() over (partition by d."releaseId", d.status order by d."finishedAt", d.id) = 1
          and case when r."createdAt" >= ${from} then true else not exists (
            select 1 from "Deployment" e
            where e."releaseId" = d."releaseId" and e."environmentId" = ${env} and e.status = 'succeeded'
              and e."finishedAt" < ${from}
          ) end) as "firstSuccess",
        min(d."finishedAt") filter (where d.status = 'succeeded') over (
          partition by d."applicationId" order by d."finishedAt" desc, d.id desc
          rows between unbounded preceding and 1 preceding
        ) as "laterSuccessAt"
      from "Deployment" d
      join "Release" r on r.id = d."releaseId"
      left join rolled rd on rd.id = d.id
      where d."environmentId" = ${env} ${application}
        and d.status in ('succeeded', 'failed', 'rolled_back') and ${inWindow(window)}
    ),
    classified as (
      select b.id, b."applicationId", b."releaseId", b.status, b.kind, b."rollbackOfId", b."finishedAt",
        b."changeAt", b.version, b.title, b.hotfix, b.failure, b."firstSuccess",
        case when not b.failure then null
          when b."laterSuccessAt" > b."finishedAt" then b."laterSuccessAt"
          else (
            select min(n."finishedAt") from "Deployment" n
            where n."applicationId" = b."applicationId" and n."environmentId" = ${env} and n.status = 'succeeded'
              and n."finishedAt" > b."finishedAt"
          ) end as "nextSuccessAt",
        (b.kind = 'rollback' or b.hotfix) as unplanned
      from base b
    )`;
}

export interface AggregateRow {
  /** the week's Monday or the month's 1st; null on the total row */
  bucket: Date | null;
  deployments: number;
  successes: number;
  failures: number;
  unplanned: number;
  leadTimeMedian: number | null;
  leadTimeP90: number | null;
  leadTimeCount: number;
  recoveryMedian: number | null;
  recovered: number;
}

/** The window's aggregates, per week (Monday, UTC) or month and in total, in one statement. */
export function aggregates(sql: Tx, scope: MetricsScope, window: DoraWindow, unit: TrendUnit): Promise<AggregateRow[]> {
  const trunc = unit === "week" ? Prisma.sql`'week'` : Prisma.sql`'month'`;
  return sql.$queryRaw<AggregateRow[]>`
    with ${classified(scope, window)},
    windowed as (
      select c.*, date_trunc(${trunc}, c."finishedAt") as bucket,
        extract(epoch from c."finishedAt" - c."changeAt")::float8 as lead,
        extract(epoch from c."nextSuccessAt" - c."finishedAt")::float8 as recovery
      from classified c
    )
    select case when grouping(bucket) = 1 then null else bucket end as bucket,
      count(*)::int as deployments,
      (count(*) filter (where status = 'succeeded'))::int as successes,
      (count(*) filter (where failure))::int as failures,
      (count(*) filter (where unplanned))::int as unplanned,
      percentile_cont(0.5) within group (order by lead) filter (where "firstSuccess") as "leadTimeMedian",
      percentile_cont(0.9) within group (order by lead) filter (where "firstSuccess") as "leadTimeP90",
      (count(*) filter (where "firstSuccess"))::int as "leadTimeCount",
      percentile_cont(0.5) within group (order by recovery) filter (where recovery is not null) as "recoveryMedian",
      (count(*) filter (where recovery is not null))::int as recovered
    from windowed
    group by grouping sets ((bucket), ())
    order by bucket nulls first`;
}

export interface ClassifiedRow {
  id: string;
  applicationKey: string;
  applicationName: string;
  version: string;
  title: string;
  status: string;
  kind: string;
  rollbackOfId: string | null;
  finishedAt: Date;
  changeAt: Date;
  hotfix: boolean;
  firstSuccess: boolean;
  failure: boolean;
  nextSuccessAt: Date | null;
  unplanned: boolean;
}

export type RowFilter = "all" | "successes" | "first_successes" | "failures";

/** The deployments behind the figures, newest first, in one statement. */
export function classifiedRows(
  sql: Tx,
  scope: MetricsScope,
  window: DoraWindow,
  filter: RowFilter,
  limit: number,
): Promise<ClassifiedRow[]> {
  const only = {
    all: Prisma.empty,
    successes: Prisma.sql`and c.status = 'succeeded'`,
    first_successes: Prisma.sql`and c."firstSuccess"`,
    failures: Prisma.sql`and c.failure`,
  }[filter];
  return sql.$queryRaw<ClassifiedRow[]>`
    with ${classified(scope, window)}
    select c.id, a.key as "applicationKey", a.name as "applicationName", c.version, c.title, c.status, c.kind,
      c."rollbackOfId", c."finishedAt", c."changeAt", c.hotfix, c."firstSuccess", c.failure, c."nextSuccessAt",
      c.unplanned
    from classified c join "Application" a on a.id = c."applicationId"
    where true ${only}
    order by c."finishedAt" desc, c.id desc
    limit ${limit}`;
}
