import Link from "@/components/ui/link";
import type {
  Actor,
  ApplicationSummary,
  DeploymentSummary,
  EnvironmentSummary,
  ReleaseSummary,
} from "@/lib/data/pipeline";
import { durationOf } from "@/lib/domain/pipeline";
import { ActorLabel } from "@/components/ui/actor-label";
import { EnvironmentName } from "@/components/environments/name";
import { formatDuration } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { DeploymentStatusBadge } from "@/components/ui/status-badge";
import { strategyLabel } from "@/components/environments/gates";

// A table of deployments, newest first. On a release's page each row names the environment;
// on an environment's page, the release. Each status links to the deployment's own page.

type Row = DeploymentSummary & {
  environment?: EnvironmentSummary;
  release?: ReleaseSummary;
  application?: ApplicationSummary;
  triggeredBy: Actor;
};

export function DeploymentHistory({
  deployments,
  subject,
  label,
  now,
}: {
  deployments: Row[];
  subject: "environment" | "release";
  label: string;
  now: Date;
}) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{label}</caption>
        <thead className="bg-slate-50 text-xs font-semibold whitespace-nowrap uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="sticky left-0 bg-slate-50 px-4 py-2.5 md:static">
              {subject === "environment" ? "Environment" : "Release"}
            </th>
            <th scope="col" className="px-4 py-2.5">
              Status
            </th>
            <th scope="col" className="px-4 py-2.5">
              Queued
            </th>
            <th scope="col" className="px-4 py-2.5">
              Duration
            </th>
            <th scope="col" className="px-4 py-2.5">
              Triggered by
            </th>
            <th scope="col" className="px-4 py-2.5">
              Details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {deployments.map((d) => (
            <tr key={d.id}>
              {/* on phones the pinned column wraps a long version rather than push the page sideways */}
              <td className="sticky left-0 bg-white px-4 py-2.5 max-md:max-w-[55vw] max-md:[overflow-wrap:anywhere] md:static md:whitespace-nowrap">
                {subject === "environment" && d.environment ? (
                  <EnvironmentName environment={d.environment} className="font-medium text-slate-900" />
                ) : d.release ? (
                  <Link href={`/releases/${d.release.id}`} className="font-medium text-slate-900 hover:underline">
                    {d.application?.name} <span className="font-mono">{d.release.version}</span>
                  </Link>
                ) : null}
              </td>
              <td className="px-4 py-2.5">
                {/* the status opens the deployment: its steps, traffic, health and log */}
                <Link href={`/deployments/${d.id}`} className="rounded-full hover:opacity-80">
                  <DeploymentStatusBadge status={d.status} />
                  <span className="sr-only">: open this deployment</span>
                </Link>
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
                <RelativeTime date={d.queuedAt} now={now} />
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">
                <Duration ms={durationOf(d)} />
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
                <ActorLabel actor={d.triggeredBy} />
              </td>
              <td className="min-w-48 px-4 py-2.5 text-slate-600">
                {[
                  d.isRollback ? "Rollback" : null,
                  d.confirmedByCheck ? "Confirmed by a version check: nothing was deployed" : null,
                  d.strategy !== "direct" ? strategyLabel(d.strategy) : null,
                  d.failureReason,
                ]
                  .filter(Boolean)
                  .join(" · ") || (d.overrideReason ? null : <span className="text-slate-400">—</span>)}
                {d.overrideReason ? (
                  <span className="block font-medium text-amber-900">Freeze overridden: {d.overrideReason}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Duration({ ms }: { ms: number | null }) {
  return ms === null ? <span className="text-slate-400">—</span> : <>{formatDuration(ms)}</>;
}
