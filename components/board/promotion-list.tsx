import Link from "@/components/ui/link";
import type { WorkReason } from "@/lib/data/promotion/my-work";
import type { PipelineOverview } from "@/lib/data/pipeline";
import type { GateSummary } from "@/lib/data/pipeline/gates";
import { cellKey, cellMeta, gatesOf } from "@/lib/domain/pipeline";
import { BoardGateSummary } from "./gate-summary";
import { BoardWorkMark } from "./work-mark";
import { EnvironmentName } from "@/components/environments/name";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";

/**
 * What waits to be promoted, closest to production first: the product owner's queue. Each says
 * whether it may go now ("Ready to promote") or what it still waits for.
 */
export function PromotionList({
  overview,
  gates = {},
  work = {},
}: {
  overview: PipelineOverview;
  gates?: Record<string, GateSummary>;
  work?: Record<string, WorkReason[]>;
}) {
  const { pipeline, environments, applications, asOf } = overview;
  const environmentsById = new Map(environments.map((e) => [e.id, e]));
  const applicationsById = new Map(applications.map((a) => [a.id, a]));
  if (pipeline.summary.promotions.length === 0)
    return (
      <p className="rounded-lg bg-white px-4 py-3 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">
        Nothing is waiting: every environment runs the newest release that reached the stage before it.
      </p>
    );
  return (
    <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      {pipeline.summary.promotions.map((p) => {
        const environment = environmentsById.get(p.environmentId);
        const from = p.fromEnvironmentId ? environmentsById.get(p.fromEnvironmentId) : undefined;
        const application = applicationsById.get(p.applicationId);
        if (!environment || !application) return null;
        const key = cellKey(p.applicationId, p.environmentId);
        const found = gatesOf(p, gates);
        return (
          <li
            key={`${p.applicationId}-${p.environmentId}`}
            className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4"
          >
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Link href={`/releases/${p.release.id}`} className="font-semibold text-slate-900 hover:underline">
                {application.name} <span className="font-mono">{p.release.version}</span>
              </Link>
              <span className="text-slate-400" aria-hidden="true">
                →
              </span>
              <span className="sr-only">to</span>
              <EnvironmentName environment={environment} className="text-sm font-medium text-slate-700" />
              <Badge meta={cellMeta("waiting", found)} wrap />
              <BoardWorkMark reasons={work[key] ?? []} />
            </div>
            <div className="flex flex-col gap-1 sm:items-end sm:text-right">
              <p className="text-xs text-slate-500">
                {from ? `in ${from.name} ` : "new release, "}since <RelativeTime date={p.since} now={asOf} />
              </p>
              {found ? <BoardGateSummary gates={found} releaseId={p.release.id} /> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
