import { drillDownHref, formatMetric, metricsQuery, queryOf, queryOfShown } from "@/components/metrics/present";
import { EmptyState } from "@/components/ui/empty-state";
import { formatAbsolute } from "@/components/ui/format";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { DeploymentStatusBadge } from "@/components/ui/status-badge";
import { DORA_METRICS, METRIC_LABEL, type DoraMetric } from "@/lib/domain/dora";
import type { DeploymentStatus } from "@/lib/domain/status";
import { NotFoundError, ValidationError } from "@/lib/data/errors";
import { readMetricDeployments, type MetricDeployments } from "@/lib/data/metrics/read";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Deployments behind the metrics" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const WHAT: Record<DoraMetric | "all", string> = {
  all: "Every finished deployment in the range (cancelled ones do not count).",
  deployment_frequency: "The successful deployments counted by deployment frequency.",
  lead_time: "Each release's first success here, with its lead time from commit (else creation).",
  change_failure_rate: "Every finished deployment: those marked as failures make the change failure rate.",
  recovery_time: "The failures, and when the next success of that application here recovered them.",
  rework_rate: "Every finished deployment: rollbacks and hotfix releases are the rework.",
};

export default async function MetricDeploymentsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const params = await searchParams;
  const query = queryOf(params);
  const asked = typeof params.metric === "string" ? params.metric : "all";
  const metric = (["all", ...DORA_METRICS] as string[]).includes(asked) ? (asked as DoraMetric | "all") : "all";
  let list: MetricDeployments | null = null;
  let problem: string | null = null;
  try {
    list = await readMetricDeployments(actor, { ...query, metric });
  } catch (e) {
    if (e instanceof ValidationError)
      problem = Object.values(e.fieldErrors).flat().join(" ") || "The range is not valid.";
    else if (e instanceof NotFoundError) problem = e.message;
    else throw e;
  }
  const title = metric === "all" ? "Deployments behind the metrics" : `Deployments behind: ${METRIC_LABEL[metric]}`;
  if (!list)
    return (
      <>
        <PageHeader title={title} />
        <div role="alert">
          <EmptyState title="Cannot list these deployments" icon="search">
            <p>{problem}</p>
            <p className="mt-2">
              <Link href="/metrics" className="font-medium underline underline-offset-2">
                Back to the metrics
              </Link>
            </p>
          </EmptyState>
        </div>
      </>
    );
  const shown = queryOfShown(list);
  return (
    <>
      <PageHeader
        title={title}
        eyebrow={
          <Link href={`/metrics${metricsQuery(shown)}`} className="underline underline-offset-2">
            Metrics
          </Link>
        }
        description={`${list.application?.name ?? "All applications"} in ${list.environment.name}, ${list.window.fromDay} to ${list.window.toDay}. ${WHAT[metric]}`}
      />
      <nav aria-label="Metric" className="mb-4 flex flex-wrap gap-2 text-sm">
        {(["all", ...DORA_METRICS] as const).map((m) => (
          <Link
            key={m}
            href={drillDownHref(shown, m)}
            aria-current={m === metric ? "page" : undefined}
            className="rounded-full px-3 py-1 ring-1 ring-slate-300 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
          >
            {m === "all" ? "All" : METRIC_LABEL[m]}
          </Link>
        ))}
      </nav>
      {list.rows.length === 0 ? (
        <EmptyState title="No deployments">Nothing finished here in this range.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{title}</caption>
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                {["Finished", "Application", "Release", "Status", "Lead time", "Failure", "Recovered", "Rework"].map(
                  (h) => (
                    <th key={h} scope="col" className="px-3 py-2 font-medium">
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <th scope="row" className="px-3 py-2 font-normal whitespace-nowrap">
                    <Link href={`/deployments/${r.id}`} className="underline underline-offset-2">
                      {formatAbsolute(r.finishedAt)}
                    </Link>
                  </th>
                  <td className="px-3 py-2">{r.application.name}</td>
                  <td className="px-3 py-2">
                    <span className="font-mono text-xs">{r.version}</span> {r.title}
                    {r.kind === "rollback" ? <span className="ml-1 text-xs text-violet-700">(rollback)</span> : null}
                  </td>
                  <td className="px-3 py-2">
                    <DeploymentStatusBadge status={r.status as DeploymentStatus} />
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {r.leadTime === null ? "—" : formatMetric("lead_time", r.leadTime)}
                  </td>
                  <td className="px-3 py-2">{r.failure ? "Yes" : "No"}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {!r.failure
                      ? "—"
                      : r.recoveredAt
                        ? `after ${formatMetric("recovery_time", (r.recoveredAt.getTime() - r.finishedAt.getTime()) / 1000)}`
                        : "Not yet (open)"}
                  </td>
                  <td className="px-3 py-2">{r.unplanned ? (r.kind === "rollback" ? "Rollback" : "Hotfix") : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.truncated ? (
        <p className="mt-2 text-xs text-slate-500">
          Showing the newest {list.rows.length}; the CSV file holds them all.
        </p>
      ) : null}
    </>
  );
}
