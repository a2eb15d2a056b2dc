import { MetricCard } from "@/components/metrics/cards";
import { MetricsFilterForm } from "@/components/metrics/filters";
import { CHART_UNIT, chartValue, csvHref, drillDownHref, queryOf, queryOfShown } from "@/components/metrics/present";
import { TrendChart } from "@/components/metrics/trend-chart";
import { EmptyState } from "@/components/ui/empty-state";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { BAND_SOURCE, DORA_METRICS, METRIC_LABEL, type DoraMetric, type TrendUnit } from "@/lib/domain/dora";
import { NotFoundError, ValidationError } from "@/lib/data/errors";
import { readMetrics, type MetricsReport } from "@/lib/data/metrics/read";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Metrics" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A target in the chart's unit (successes per week or per month, hours, percent). */
function chartTarget(metric: DoraMetric, value: number, period: TrendUnit): number {
  // a frequency target is per week; a month has 365.25 / 12 / 7 ≈ 4.35 of them
  if (metric === "deployment_frequency" && period === "month") return Math.round(value * (365.25 / 12 / 7) * 10) / 10;
  if (metric === "lead_time" || metric === "recovery_time") return value / 3600;
  if (metric === "change_failure_rate" || metric === "rework_rate") return value * 100;
  return value;
}

export default async function MetricsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = queryOf(await searchParams);
  let report: MetricsReport | null = null;
  let problem: { title: string; message: string; fieldErrors?: Record<string, string[]> } | null = null;
  try {
    report = await readMetrics(actor, query);
  } catch (e) {
    if (e instanceof ValidationError)
      problem = { title: "Check the range", message: "The metrics need a valid range.", fieldErrors: e.fieldErrors };
    else if (e instanceof NotFoundError) problem = { title: "Nothing to measure here", message: e.message };
    else throw e;
  }
  const header = (
    <PageHeader
      title="Metrics"
      description="DORA's delivery metrics from Greenlight's own deployments: how often, how fast, how safely, how quickly recovered."
      aside={
        report ? (
          <a
            href={csvHref(query)}
            download
            className="inline-flex items-center rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Download CSV
          </a>
        ) : null
      }
    />
  );
  if (!report || problem) {
    return (
      <>
        {header}
        {problem?.fieldErrors ? (
          <MetricsFilterForm values={query} environments={[]} applications={[]} fieldErrors={problem.fieldErrors} />
        ) : null}
        <div role="alert">
          <EmptyState title={problem?.title ?? "No metrics"} icon="search">
            <p>{problem?.message}</p>
            <p className="mt-2">
              <Link href="/metrics" className="font-medium underline underline-offset-2">
                Show the last 30 days in the last environment
              </Link>
            </p>
          </EmptyState>
        </div>
      </>
    );
  }
  const shown = queryOfShown(report);
  const targets = new Map(report.targets.map((t) => [t.metric, t]));
  const scope = `${report.application?.name ?? "All applications"} in ${report.environment.name}, ${
    report.window.range === "custom"
      ? `${report.window.fromDay} to ${report.window.toDay}`
      : `the last ${report.window.range} days`
  }`;
  return (
    <>
      {header}
      <MetricsFilterForm values={shown} environments={report.environments} applications={report.applications} />
      <p className="mb-3 text-sm text-slate-600">
        {scope}: {report.summary.deployments} finished deployments (cancelled ones do not count).{" "}
        <Link href={drillDownHref(shown, "all")} className="font-medium underline underline-offset-2">
          See them all
        </Link>
      </p>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-5">
        {DORA_METRICS.map((m) => (
          <MetricCard key={m} metric={m} figures={report.summary} target={targets.get(m)} query={shown} />
        ))}
      </div>
      <section aria-labelledby="trends-heading" className="mt-8">
        <h2 id="trends-heading" className="mb-3 text-lg font-semibold text-slate-900">
          {report.unit === "week" ? "Weekly trends" : "Monthly trends"}
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {DORA_METRICS.map((m) => {
            const target = targets.get(m);
            return (
              <TrendChart
                key={m}
                id={`trend-${m}`}
                title={METRIC_LABEL[m]}
                unit={CHART_UNIT[m]}
                target={target ? chartTarget(m, target.value, report.unit) : undefined}
                period={report.unit}
                points={report.trend.map((b) => ({
                  start: b.start.toISOString().slice(0, 10),
                  value: chartValue(m, b),
                }))}
              />
            );
          })}
        </div>
      </section>
      <p className="mt-6 text-xs text-slate-500">
        Levels: {BAND_SOURCE}. Lead time runs from a release&apos;s commit (else its creation) to its first success
        here; a failure is a deployment that failed, was rolled back, or was followed by a rollback; recovery runs to
        the next success of that application here; rework counts rollbacks and hotfix releases. Trends go by week
        (starting on Monday, UTC), or by month over more than 26 weeks.
      </p>
    </>
  );
}
