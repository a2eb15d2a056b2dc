import Link from "@/components/ui/link";
import type { ReleaseList } from "@/lib/data/releases/read";
import { PATH_STATE_META } from "@/lib/domain/pipeline";
import { ActorLabel } from "@/components/ui/actor-label";
import { EnvironmentName } from "@/components/environments/name";
import { shortSha } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";

// The releases of one page, newest first, with where each stands in every environment. Below
// the md breakpoint each row becomes a card whose environments sit side by side under their
// own labels; the explicit roles keep it a table for screen readers either way.

export function ReleasesTable({ list }: { list: ReleaseList }) {
  const { items, environments, asOf } = list;
  const environmentsById = new Map(environments.map((e) => [e.id, e]));
  return (
    <div
      role="region"
      aria-label="Releases table"
      tabIndex={0}
      className="md:overflow-x-auto md:rounded-lg md:bg-white md:shadow-sm md:ring-1 md:ring-slate-200"
    >
      <table role="table" className="w-full text-left text-sm max-md:block">
        <caption className="sr-only">Releases, newest first, with their state in each environment</caption>
        <thead
          role="rowgroup"
          className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 max-md:sr-only"
        >
          <tr role="row">
            <th role="columnheader" scope="col" className="px-4 py-3">
              Release
            </th>
            <th role="columnheader" scope="col" className="px-4 py-3">
              Created
            </th>
            {environments.map((environment) => (
              <th
                key={environment.id}
                role="columnheader"
                scope="col"
                className="px-4 py-3 normal-case tracking-normal"
              >
                <EnvironmentName environment={environment} className="text-xs font-semibold text-slate-600" />
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-200 max-md:block max-md:space-y-3 max-md:divide-y-0">
          {items.map((release) => (
            <tr
              key={release.id}
              role="row"
              className="hover:bg-slate-50 max-md:block max-md:rounded-lg max-md:bg-white max-md:px-4 max-md:py-3 max-md:shadow-sm max-md:ring-1 max-md:ring-slate-200"
            >
              <td role="cell" className="max-w-xs px-4 py-3 align-top max-md:block max-md:max-w-none max-md:p-0">
                <Link href={`/releases/${release.id}`} className="font-semibold text-slate-900 hover:underline">
                  {release.application.name} <span className="font-mono">{release.version}</span>
                </Link>
                <p className="truncate text-slate-600" title={release.title}>
                  {release.title}
                </p>
              </td>
              <td
                role="cell"
                className="px-4 py-3 align-top text-slate-600 md:whitespace-nowrap max-md:block max-md:p-0 max-md:pt-1 max-md:text-xs"
              >
                <RelativeTime date={release.createdAt} now={asOf} />
                <span className="md:block md:text-xs md:text-slate-500">
                  <span className="md:hidden"> · </span>
                  <ActorLabel actor={release.createdBy} /> ·{" "}
                  <span className="font-mono" title={release.commitSha}>
                    {shortSha(release.commitSha)}
                  </span>
                </span>
              </td>
              {release.stages.map((stage) => {
                const environment = environmentsById.get(stage.environmentId);
                return (
                  <td
                    key={stage.environmentId}
                    role="cell"
                    className="px-4 py-3 align-top max-md:mt-3 max-md:inline-block max-md:w-1/3 max-md:p-0 max-md:pr-2"
                  >
                    {environment ? (
                      <span aria-hidden="true" className="mb-1 block text-xs text-slate-500 md:hidden">
                        <EnvironmentName environment={environment} />
                      </span>
                    ) : null}
                    {stage.state === "not_reached" || stage.state === "skipped" ? (
                      <span className="text-xs text-slate-400" title={PATH_STATE_META[stage.state].description}>
                        {PATH_STATE_META[stage.state].label}
                      </span>
                    ) : (
                      <Badge meta={PATH_STATE_META[stage.state]} />
                    )}
                    {stage.at ? (
                      <p className="mt-1 text-xs text-slate-500 max-md:hidden">
                        <RelativeTime date={stage.at} now={asOf} />
                      </p>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
