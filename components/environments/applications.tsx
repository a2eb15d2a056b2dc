import Link from "@/components/ui/link";
import type { EnvironmentDetail } from "@/lib/data/environments/read";
import type { ReleaseSummary } from "@/lib/data/pipeline";
import { cellMeta, gatesOf, type CellGates } from "@/lib/domain/pipeline";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";
import { CheckWhatRunsButton } from "@/components/deploy/check-what-runs";
import { UnknownWhatRuns } from "@/components/deploy/unknown-state";
import { ReleaseHoldButton } from "@/components/deploy/release-hold-button";
import { RollbackButton } from "@/components/deploy/rollback-button";
import { HoldBadge } from "@/components/deploy/hold-badge";

// Per application, what runs in this environment and what waits to come in, "Ready to promote"
// only when every gate passes. A table on wide screens, one card per application on phones
// (explicit roles keep the table semantics).

export function EnvironmentApplications({
  environment,
  gates = {},
  canCheck = false,
  canRollback = false,
}: {
  environment: EnvironmentDetail;
  /** per cell (cellKey), the gates of the release waiting to come in */
  gates?: CellGates;
  /** the viewer may ask a target what runs and release holds (deploy.trigger here) */
  canCheck?: boolean;
  /** the viewer may roll an application back here (deploy.rollback) */
  canRollback?: boolean;
}) {
  const { applications, asOf } = environment;
  const cell =
    "px-4 py-2.5 max-md:grid max-md:grid-cols-[7rem_minmax(0,1fr)] max-md:items-baseline max-md:gap-3 max-md:px-0 max-md:py-1";
  return (
    <div
      role="region"
      aria-label={`Applications in ${environment.name}`}
      tabIndex={0}
      className="md:overflow-x-auto md:rounded-lg md:bg-white md:shadow-sm md:ring-1 md:ring-slate-200"
    >
      <table role="table" className="w-full text-left text-sm max-md:block">
        <caption className="sr-only">What runs in {environment.name}, per application</caption>
        <thead
          role="rowgroup"
          className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 max-md:sr-only"
        >
          <tr role="row">
            {["Application", "Running", "State", "Waiting to come in"].map((label) => (
              <th key={label} role="columnheader" scope="col" className="px-4 py-2.5">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-200 max-md:block max-md:space-y-3 max-md:divide-y-0">
          {applications.map(({ application, cell: c, hold, rollbackTo, url }) => (
            <tr
              key={application.id}
              role="row"
              className="max-md:block max-md:rounded-lg max-md:bg-white max-md:px-4 max-md:py-3 max-md:shadow-sm max-md:ring-1 max-md:ring-slate-200"
            >
              <th
                role="rowheader"
                scope="row"
                className="px-4 py-2.5 font-medium text-slate-900 max-md:block max-md:px-0 max-md:pt-0 max-md:pb-1"
              >
                {application.name}
              </th>
              <td role="cell" className={cell}>
                <Label>Running</Label>
                {c.unknown ? (
                  <div>
                    <UnknownWhatRuns interrupted={c.unknown.release} before={c.live?.release} />
                    {canCheck ? (
                      <CheckWhatRunsButton
                        environmentKey={environment.key}
                        applicationId={application.id}
                        where={`${application.name} in ${environment.name}`}
                      />
                    ) : null}
                  </div>
                ) : c.live ? (
                  // min-w-0: on phones the cell is a grid, and a long address must shrink, not widen the page
                  <span className="min-w-0">
                    <VersionLink release={c.live.release} />{" "}
                    <span className="text-xs text-slate-500">
                      deployed <RelativeTime date={c.live.since} now={asOf} />
                    </span>
                    {url ? (
                      <a
                        href={url}
                        rel="noreferrer"
                        className="block truncate font-mono text-xs text-brand-700 hover:underline"
                        aria-label={`${application.name} in ${environment.name}: ${url}`}
                      >
                        {url}
                      </a>
                    ) : null}
                  </span>
                ) : (
                  <span className="text-slate-400">Nothing yet</span>
                )}
                {hold || (canRollback && rollbackTo && !c.active) ? (
                  <div className="mt-2 flex flex-col items-start gap-2">
                    {hold ? (
                      <div className="flex flex-wrap items-center gap-2">
                        <HoldBadge hold={hold} />
                        {canCheck ? (
                          <ReleaseHoldButton
                            environmentKey={environment.key}
                            applicationId={application.id}
                            where={`${application.name} in ${environment.name}`}
                          />
                        ) : null}
                      </div>
                    ) : null}
                    {/* a rollout under way is aborted on its own page, not rolled back from here */}
                    {canRollback && rollbackTo && !c.active ? (
                      <RollbackButton
                        environment={{ key: environment.key, name: environment.name }}
                        application={{ id: application.id, name: application.name }}
                        version={rollbackTo.version}
                        takesAway={rollbackTo.takesAway}
                      />
                    ) : null}
                  </div>
                ) : null}
              </td>
              <td role="cell" className={cell}>
                <Label>State</Label>
                <span>
                  <Badge
                    meta={cellMeta(
                      c.state,
                      c.waiting
                        ? gatesOf(
                            {
                              applicationId: application.id,
                              environmentId: c.environmentId,
                              release: c.waiting.release,
                            },
                            gates,
                          )
                        : undefined,
                    )}
                    wrap
                  />
                  {c.active ? (
                    <Link
                      href={`/deployments/${c.active.deploymentId}`}
                      className="mt-1 block text-xs font-medium text-brand-700 hover:underline"
                    >
                      Follow the deployment of <span className="font-mono">{c.active.release.version}</span>
                    </Link>
                  ) : null}
                </span>
              </td>
              <td role="cell" className={cell}>
                <Label>Waiting</Label>
                {c.waiting ? <VersionLink release={c.waiting.release} /> : <span className="text-slate-400">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The column's name, shown beside the value when the table is stacked (screen readers have the header). */
function Label({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className="text-xs text-slate-500 md:hidden">
      {children}
    </span>
  );
}

function VersionLink({ release }: { release: ReleaseSummary }) {
  return (
    <Link
      href={`/releases/${release.id}`}
      title={release.title}
      className="font-mono font-semibold text-slate-900 hover:underline"
    >
      {release.version}
    </Link>
  );
}
