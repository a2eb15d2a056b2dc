import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/status-badge";
import type { Tone } from "@/lib/domain/status";
import {
  BAND_SOURCE,
  METRIC_LABEL,
  bandOf,
  targetMet,
  targetValueOf,
  type Band,
  type DoraFigures,
  type DoraMetric,
  type DoraTargetValue,
} from "@/lib/domain/dora";
import { BAND_LABEL, drillDownHref, formatMetric, formatTarget, type MetricsQuery } from "./present";

// One card per metric: the value, where it stands among DORA's performance levels, the team's
// own target (met or missed), and a link to the deployments it was computed from.

const BAND_TONE: Record<Band, Tone> = { elite: "success", high: "info", medium: "progress", low: "danger" };

function detail(metric: DoraMetric, f: DoraFigures): string {
  switch (metric) {
    case "deployment_frequency":
      return `${f.successes} successful, ${f.perDay.toFixed(2)} a day`;
    case "lead_time":
      return f.leadTimeCount
        ? `median of ${f.leadTimeCount} releases; p90 ${formatMetric("lead_time", f.leadTimeP90)}`
        : "no release reached it in this range";
    case "change_failure_rate":
      return `${f.failures} of ${f.deployments} finished deployments`;
    case "recovery_time":
      return `${f.recovered} recovered${f.openFailures ? `, ${f.openFailures} not recovered yet` : ""}`;
    case "rework_rate":
      return `${f.unplanned} of ${f.deployments} were rollbacks or hotfixes`;
  }
}

function drillCount(metric: DoraMetric, f: DoraFigures): number {
  switch (metric) {
    case "deployment_frequency":
      return f.successes;
    case "lead_time":
      return f.leadTimeCount;
    case "recovery_time":
      return f.failures;
    default:
      return f.deployments;
  }
}

export function MetricCard({
  metric,
  figures,
  target,
  query,
}: {
  metric: DoraMetric;
  figures: DoraFigures;
  target: DoraTargetValue | undefined;
  query: MetricsQuery;
}) {
  const value = targetValueOf(metric, figures);
  const band = bandOf(metric, value);
  const met = target ? targetMet(metric, value, target.value) : null;
  const id = `metric-${metric}`;
  return (
    <article
      aria-labelledby={`${id}-title`}
      className="flex flex-col rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id={`${id}-title`} className="text-sm font-medium text-slate-600">
        {METRIC_LABEL[metric]}
      </h2>
      <p className="mt-1 text-2xl font-semibold text-slate-900" data-testid={`${id}-value`}>
        {formatMetric(metric, value)}
      </p>
      <p className="mt-1 text-xs text-slate-500">{detail(metric, figures)}</p>
      <dl className="mt-3 space-y-1.5 text-xs">
        <div className="flex items-center justify-between gap-2">
          <dt className="text-slate-500">DORA level</dt>
          <dd title={BAND_SOURCE}>
            {band ? (
              <Badge
                meta={{ tone: BAND_TONE[band], label: BAND_LABEL[band], icon: "circle", description: BAND_SOURCE }}
              />
            ) : (
              <span className="text-slate-500">{metric === "rework_rate" ? "No published band" : "—"}</span>
            )}
          </dd>
        </div>
        <div className="flex items-center justify-between gap-2">
          <dt className="text-slate-500">Team target</dt>
          <dd className="text-right">
            {target ? (
              <span title={target.source}>
                {formatTarget(metric, target.value)}
                {met === null ? null : met ? (
                  <span className="ml-1.5 font-semibold text-green-700">· met</span>
                ) : (
                  <span className="ml-1.5 font-semibold text-red-700">· missed</span>
                )}
              </span>
            ) : (
              <span className="text-slate-500">None set</span>
            )}
          </dd>
        </div>
      </dl>
      <Link
        href={drillDownHref(query, metric)}
        className="mt-3 self-start rounded text-xs font-medium text-slate-700 underline underline-offset-2 hover:text-slate-900"
      >
        {drillCount(metric, figures)} deployments behind this figure
        <span className="sr-only"> ({METRIC_LABEL[metric]})</span>
      </Link>
    </article>
  );
}
