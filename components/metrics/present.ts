import { formatDuration } from "@/components/ui/format";
import type { Band, DoraFigures, DoraMetric } from "@/lib/domain/dora";
import { targetValueOf } from "@/lib/domain/dora";
import type { MetricsFilters, ResolvedWindow } from "@/lib/data/metrics/input";

// How the metrics read: values in words and numbers, URLs of the page, its drill-down and export.

export const BAND_LABEL: Record<Band, string> = { elite: "Elite", high: "High", medium: "Medium", low: "Low" };

const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 1 : 0)} %`;
const perWeek = (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(1)} a week`;

/** A metric's value as people read it. */
export function formatMetric(metric: DoraMetric, value: number | null): string {
  if (value === null) return "No data";
  switch (metric) {
    case "deployment_frequency":
      return perWeek(value);
    case "lead_time":
    case "recovery_time":
      return formatDuration(value * 1000);
    case "change_failure_rate":
    case "rework_rate":
      return percent(value);
  }
}

/** A target as a sentence: "at least 2 a week", "below 2 h". */
export function formatTarget(metric: DoraMetric, value: number): string {
  return metric === "deployment_frequency" ? `at least ${perWeek(value)}` : `below ${formatMetric(metric, value)}`;
}

/** The value a trend chart plots per week or month: successes, hours, or percent. */
export function chartValue(metric: DoraMetric, f: DoraFigures): number | null {
  const v = metric === "deployment_frequency" ? f.successes : targetValueOf(metric, f);
  if (v === null) return null;
  if (metric === "lead_time" || metric === "recovery_time") return Math.round((v / 3600) * 100) / 100;
  if (metric === "change_failure_rate" || metric === "rework_rate") return Math.round(v * 1000) / 10;
  return v;
}

export const CHART_UNIT: Record<DoraMetric, string> = {
  deployment_frequency: "successful deployments",
  lead_time: "hours (median)",
  change_failure_rate: "% of deployments",
  recovery_time: "hours (median)",
  rework_rate: "% of deployments",
};

export type MetricsQuery = Pick<MetricsFilters, "environment" | "application" | "range" | "from" | "to">;

export function metricsQuery(q: MetricsQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (q.environment) params.set("environment", q.environment);
  if (q.application) params.set("application", q.application);
  if (q.range === "custom" || q.from || q.to) {
    params.set("range", "custom");
    if (q.from) params.set("from", q.from);
    if (q.to) params.set("to", q.to);
  } else if (q.range) params.set("range", q.range);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The deployments a metric was computed from. */
/** The query that shows what a read answered (its environment, application and window), for links and forms. */
export function queryOfShown(shown: {
  environment: { key: string };
  application: { key: string } | null;
  window: ResolvedWindow;
}): MetricsQuery {
  return {
    environment: shown.environment.key,
    application: shown.application?.key,
    range: shown.window.range,
    ...(shown.window.range === "custom" ? { from: shown.window.fromDay, to: shown.window.toDay } : {}),
  };
}

export function drillDownHref(q: MetricsQuery, metric: DoraMetric | "all"): string {
  return `/metrics/deployments${metricsQuery(q, { metric })}`;
}

/** The CSV file of the deployments behind the figures. */
export function csvHref(q: MetricsQuery): string {
  return `/api/v1/metrics${metricsQuery(q, { format: "csv" })}`;
}

/** The filters from the URL: empty fields are absent, a preset range drops stale dates. */
export function queryOf(params: Record<string, string | string[] | undefined>): MetricsQuery {
  const first = (name: string) => {
    const value = params[name];
    const text = Array.isArray(value) ? value[0] : value;
    return text ? text : undefined;
  };
  const range = first("range");
  const custom = range === "custom" || (!range && (first("from") || first("to")));
  return {
    environment: first("environment"),
    application: first("application"),
    range: range as MetricsQuery["range"],
    ...(custom ? { from: first("from"), to: first("to") } : {}),
  };
}
