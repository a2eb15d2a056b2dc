import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import {
  DORA_METRICS,
  fromAggregates,
  daysOf,
  NO_AGGREGATES,
  bucketStart,
  buckets,
  trendUnitOf,
  type DoraBucket,
  type DoraFigures,
  type DoraMetric,
  type DoraTargetValue,
  type TrendUnit,
} from "@/lib/domain/dora";
import { sqlOf, type Tx } from "../context";
import { NotFoundError } from "../errors";
import { defineOperation } from "../operation";
import { metricsFilters, windowOf, type MetricsFilters, type ResolvedWindow } from "./input";
import { aggregates, classifiedRows, type ClassifiedRow, type RowFilter } from "./sql";

// The /metrics page's reads ("visible": environments the viewer may not see never appear, in
// the choices or the figures; asking for one is a 404 like an unknown one). Three statements:
// the choices and targets, then the aggregates (or the deployments behind them).

export interface Choice {
  key: string;
  name: string;
}

interface Resolved {
  environments: Choice[];
  applications: Choice[];
  environment: Choice & { id: string };
  application: (Choice & { id: string }) | null;
  targets: DoraTargetValue[];
  window: ResolvedWindow;
}

interface ChoicesRow {
  environments: { id: string; key: string; name: string }[];
  applications: { id: string; key: string; name: string }[];
  targets: { metric: string; value: number; source: string }[];
}

const isMetric = (m: string): m is DoraMetric => (DORA_METRICS as string[]).includes(m);

/** The environment and application asked for (or the defaults) among what the actor may see. */
async function resolve(sql: Tx, actor: Actor, input: z.output<typeof metricsFilters>): Promise<Resolved> {
  const [row] = await sql.$queryRaw<ChoicesRow[]>`
    select
      (select coalesce(json_agg(json_build_object('id', id, 'key', key, 'name', name) order by position), '[]')
        from "Environment") as environments,
      (select coalesce(json_agg(json_build_object('id', id, 'key', key, 'name', name) order by name, key), '[]')
        from "Application") as applications,
      (select coalesce(json_agg(json_build_object('metric', metric, 'value', value, 'source', source)), '[]')
        from "MetricTarget") as targets`;
  const visible = (row?.environments ?? []).filter((e) => can(actor, "environment.view", e.id));
  const environment = input.environment ? visible.find((e) => e.key === input.environment) : visible.at(-1);
  if (!environment)
    throw new NotFoundError(input.environment ? `Environment "${input.environment}"` : "An environment you may see");
  const applications = row?.applications ?? [];
  const application = input.application ? applications.find((a) => a.key === input.application) : null;
  if (input.application && !application) throw new NotFoundError(`Application "${input.application}"`);
  const choice = ({ key, name }: Choice) => ({ key, name });
  return {
    environments: visible.map(choice),
    applications: applications.map(choice),
    environment,
    application: application ?? null,
    targets: (row?.targets ?? []).flatMap((t) => (isMetric(t.metric) ? [{ ...t, metric: t.metric }] : [])),
    window: windowOf(input, new Date()),
  };
}

export interface MetricsReport {
  environments: Choice[];
  applications: Choice[];
  environment: Choice;
  application: Choice | null;
  window: ResolvedWindow;
  summary: DoraFigures;
  /** weeks, or months over more than 26 weeks */
  unit: TrendUnit;
  trend: DoraBucket[];
  targets: DoraTargetValue[];
}

const reportRead = defineOperation({
  name: "metrics.read",
  scope: "visible",
  effect: "read",
  input: metricsFilters,
  async run({ actor, input, ctx }): Promise<MetricsReport> {
    const sql = sqlOf(ctx);
    const r = await resolve(sql, actor, input);
    const unit = trendUnitOf(r.window);
    const rows = await aggregates(
      sql,
      { environmentId: r.environment.id, applicationId: r.application?.id ?? null },
      r.window,
      unit,
    );
    const total = rows.find((x) => x.bucket === null);
    const byBucket = new Map(rows.flatMap((x) => (x.bucket ? [[x.bucket.getTime(), x] as const] : [])));
    const { bucket: _total, ...summary } = total ?? { bucket: null, ...NO_AGGREGATES };
    return {
      environments: r.environments,
      applications: r.applications,
      environment: { key: r.environment.key, name: r.environment.name },
      application: r.application ? { key: r.application.key, name: r.application.name } : null,
      window: r.window,
      summary: fromAggregates(summary, daysOf(r.window)),
      unit,
      trend: buckets(r.window, unit).map((w) => {
        const start = bucketStart(w.from, unit);
        const found = byBucket.get(start.getTime());
        const aggregates = found ? (({ bucket: _b, ...rest }) => rest)(found) : NO_AGGREGATES;
        return { start, ...fromAggregates(aggregates, daysOf(w)) };
      }),
      targets: r.targets,
    };
  },
});

/** The DORA figures of one environment (and application) over a window, with weekly (or monthly) buckets. */
export function readMetrics(actor: Actor, filters: MetricsFilters = {}): Promise<MetricsReport> {
  return reportRead(actor, filters);
}

// ---- the deployments behind a figure ----

export const DRILL_DOWN_LIMIT = 500;
export const CSV_LIMIT = 50_000;

/** Which deployments each metric was computed from. */
const FILTER_OF: Record<DoraMetric | "all", RowFilter> = {
  all: "all",
  deployment_frequency: "successes",
  lead_time: "first_successes",
  change_failure_rate: "all",
  recovery_time: "failures",
  rework_rate: "all",
};

export const deploymentsFilters = metricsFilters.and(
  z.object({
    metric: z.enum(["all", ...DORA_METRICS], { error: `Choose one of: all, ${DORA_METRICS.join(", ")}` }).optional(),
    limit: z.coerce.number().int().min(1).max(CSV_LIMIT).optional(),
  }),
);

export interface MetricDeployment {
  id: string;
  application: Choice;
  version: string;
  title: string;
  status: string;
  kind: string;
  rollbackOfId: string | null;
  finishedAt: Date;
  changeAt: Date;
  hotfix: boolean;
  firstSuccess: boolean;
  /** seconds from the change to this finish, for a release's first success here */
  leadTime: number | null;
  failure: boolean;
  recoveredAt: Date | null;
  unplanned: boolean;
}

export interface MetricDeployments {
  environment: Choice;
  application: Choice | null;
  window: ResolvedWindow;
  metric: DoraMetric | "all";
  rows: MetricDeployment[];
  /** more matched than `limit` */
  truncated: boolean;
}

function toDeployment(r: ClassifiedRow): MetricDeployment {
  return {
    id: r.id,
    application: { key: r.applicationKey, name: r.applicationName },
    version: r.version,
    title: r.title,
    status: r.status,
    kind: r.kind,
    rollbackOfId: r.rollbackOfId,
    finishedAt: r.finishedAt,
    changeAt: r.changeAt,
    hotfix: r.hotfix,
    firstSuccess: r.firstSuccess,
    leadTime: r.firstSuccess ? (r.finishedAt.getTime() - r.changeAt.getTime()) / 1000 : null,
    failure: r.failure,
    recoveredAt: r.failure ? r.nextSuccessAt : null,
    unplanned: r.unplanned,
  };
}

const deploymentsRead = defineOperation({
  name: "metrics.deployments",
  scope: "visible",
  effect: "read",
  input: deploymentsFilters,
  async run({ actor, input, ctx }): Promise<MetricDeployments> {
    const sql = sqlOf(ctx);
    const r = await resolve(sql, actor, input);
    const metric = input.metric ?? "all";
    const limit = input.limit ?? DRILL_DOWN_LIMIT;
    const rows = await classifiedRows(
      sql,
      { environmentId: r.environment.id, applicationId: r.application?.id ?? null },
      r.window,
      FILTER_OF[metric],
      limit + 1,
    );
    return {
      environment: { key: r.environment.key, name: r.environment.name },
      application: r.application ? { key: r.application.key, name: r.application.name } : null,
      window: r.window,
      metric,
      rows: rows.slice(0, limit).map(toDeployment),
      truncated: rows.length > limit,
    };
  },
});

export type MetricDeploymentsFilters = MetricsFilters & { metric?: DoraMetric | "all"; limit?: number };

/** The deployments a figure was computed from (all finished ones by default), newest first. */
export function readMetricDeployments(
  actor: Actor,
  filters: MetricDeploymentsFilters = {},
): Promise<MetricDeployments> {
  return deploymentsRead(actor, filters);
}
