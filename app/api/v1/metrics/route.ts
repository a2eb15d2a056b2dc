import { z } from "zod";
import { csvLine } from "@/lib/data/audit/export";
import { CSV_LIMIT, deploymentsFilters, readMetricDeployments, readMetrics } from "@/lib/data/metrics/read";
import { BAND_SOURCE, DORA_METRICS, bandOf, targetValueOf } from "@/lib/domain/dora";
import { route } from "@/lib/http/route";

// The DORA metrics of one environment (and application) over a range, for a person's session or
// an API token holding environment.view there. JSON: the figures, their levels, the team's
// targets and the trend (by week, or by month over more than 26 weeks). ?format=csv: the deployments behind them, one a line, with how
// each counted. Unknown or hidden environment/application: 404; a bad range: 422.
export const dynamic = "force-dynamic";

const query = deploymentsFilters.and(
  z.object({ format: z.enum(["json", "csv"], { error: "Use json or csv" }).optional() }),
);

const HEADER = [
  "deployment_id",
  "application",
  "version",
  "title",
  "status",
  "kind",
  "rollback_of_id",
  "finished_at",
  "change_at",
  "first_success",
  "lead_time_seconds",
  "failure",
  "recovered_at",
  "unplanned",
  "hotfix",
];

export const GET = route({
  auth: "session-or-token",
  input: { from: "query", schema: query },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input }) {
    const { format, ...filters } = input;
    if (format === "csv") {
      const list = await readMetricDeployments(actor, { ...filters, limit: filters.limit ?? CSV_LIMIT });
      const lines = [
        csvLine(HEADER),
        ...list.rows.map((r) =>
          csvLine([
            r.id,
            r.application.key,
            r.version,
            r.title,
            r.status,
            r.kind,
            r.rollbackOfId ?? "",
            r.finishedAt.toISOString(),
            r.changeAt.toISOString(),
            String(r.firstSuccess),
            r.leadTime === null ? "" : String(r.leadTime),
            String(r.failure),
            r.recoveredAt?.toISOString() ?? "",
            String(r.unplanned),
            String(r.hotfix),
          ]),
        ),
      ];
      const name = `metrics-${list.environment.key}-${list.window.fromDay}-${list.window.toDay}.csv`;
      return new Response(lines.join(""), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${name.replace(/[^\w.-]/g, "_")}"`,
          ...(list.truncated ? { "x-greenlight-truncated": "true" } : {}),
        },
      });
    }
    const report = await readMetrics(actor, filters);
    return Response.json({
      environment: report.environment,
      application: report.application,
      window: { from: report.window.from, to: report.window.to, range: report.window.range },
      summary: report.summary,
      levels: {
        source: BAND_SOURCE,
        ...Object.fromEntries(DORA_METRICS.map((m) => [m, bandOf(m, targetValueOf(m, report.summary))])),
      },
      targets: report.targets,
      unit: report.unit,
      trend: report.trend,
    });
  },
});
