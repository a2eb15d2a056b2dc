import Link from "@/components/ui/link";
import type { WorkReason } from "@/lib/data/promotion/my-work";
import type { PipelineOverview } from "@/lib/data/pipeline";
import type { GateSummary } from "@/lib/data/pipeline/gates";
import { cellKey } from "@/lib/domain/pipeline";
import { stageSummary } from "@/components/environments/gates";
import { EnvironmentName, ProtectedMark } from "@/components/environments/name";
import { PipelineCellView } from "./pipeline-cell";

// The pipeline as a table: environments are columns in promotion order (an arrow on each
// boundary), applications are rows. Below the md breakpoint each row becomes a card listing
// its environments top to bottom. The explicit ARIA roles keep the table semantics that some
// browsers drop once CSS changes a table's display, and the column headers stay readable by
// screen readers (visually hidden, not removed) while each card shows its own labels.
// With `mineOnly`, a cell with nothing for the viewer keeps its place in the table (the columns
// stay aligned) but says so quietly, and the phone's cards leave it out.

export function PipelineBoard({
  overview,
  labelledBy,
  gates = {},
  work = {},
  mineOnly = false,
}: {
  overview: PipelineOverview;
  labelledBy: string;
  /** per cell ("<applicationId>:<environmentId>"), the gates of the release waiting there */
  gates?: Record<string, GateSummary>;
  /** per cell, why its waiting release waits for the viewer */
  work?: Record<string, WorkReason[]>;
  mineOnly?: boolean;
}) {
  const { environments, applications, pipeline, asOf } = overview;
  const applicationsById = new Map(applications.map((a) => [a.id, a]));
  const environmentsById = new Map(environments.map((e) => [e.id, e]));
  return (
    <div
      role="region"
      aria-labelledby={labelledBy}
      tabIndex={0}
      className="md:overflow-x-auto md:rounded-lg md:bg-white md:shadow-sm md:ring-1 md:ring-slate-200"
    >
      <table
        role="table"
        className="w-full border-separate border-spacing-0 text-left text-sm max-md:block md:min-w-(--board-min-width) md:table-fixed"
        // equal environment columns; past a few environments the board scrolls sideways instead of squeezing
        style={{ "--board-min-width": `${12 + environments.length * 13}rem` } as React.CSSProperties}
      >
        <caption className="sr-only">
          One row per application, one column per environment in promotion order (
          {environments.map((e) => e.name).join(" → ")}).
        </caption>
        <thead role="rowgroup" className="max-md:sr-only">
          <tr role="row">
            <th
              role="columnheader"
              scope="col"
              className="sticky left-0 z-20 w-48 border-b border-slate-200 bg-slate-50 px-4 py-3 text-xs font-semibold uppercase tracking-wide text-slate-500"
            >
              Application
            </th>
            {environments.map((environment, i) => (
              <th
                key={environment.id}
                role="columnheader"
                scope="col"
                className="relative border-b border-l border-slate-200 bg-slate-50 px-4 py-3 align-top"
                style={{ boxShadow: `inset 0 3px 0 ${environment.color}` }}
              >
                {i > 0 ? <BoundaryArrow /> : null}
                <div className="flex items-center gap-1.5">
                  <Link
                    href={`/environments/${environment.key}`}
                    className="font-semibold text-slate-900 hover:underline"
                  >
                    {environment.name}
                  </Link>
                  {environment.protected ? <ProtectedMark /> : null}
                </div>
                <div className="mt-0.5 text-xs font-normal text-slate-500">{stageSummary(environment)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="max-md:block max-md:space-y-4">
          {pipeline.rows.map((row) => {
            const application = applicationsById.get(row.applicationId);
            if (!application) return null;
            return (
              <tr
                key={row.applicationId}
                role="row"
                className="group max-md:block max-md:overflow-hidden max-md:rounded-lg max-md:bg-white max-md:shadow-sm max-md:ring-1 max-md:ring-slate-200"
              >
                <th
                  role="rowheader"
                  scope="row"
                  className="border-b border-slate-200 bg-white px-4 py-3 align-top font-normal max-md:flex max-md:items-baseline max-md:justify-between max-md:gap-3 max-md:bg-slate-50 md:sticky md:left-0 md:z-10 md:group-last:border-b-0"
                >
                  <Link
                    href={`/releases?application=${encodeURIComponent(application.key)}`}
                    className="block font-semibold break-words text-slate-900 hover:underline"
                  >
                    {application.name}
                  </Link>
                  <span className="font-mono text-xs break-words text-slate-500">{application.key}</span>
                </th>
                {row.cells.map((cell) => {
                  const environment = environmentsById.get(cell.environmentId);
                  const key = cellKey(row.applicationId, cell.environmentId);
                  const reasons = work[key] ?? [];
                  const hidden = mineOnly && reasons.length === 0;
                  return (
                    <td
                      key={cell.environmentId}
                      role="cell"
                      className={`border-slate-200 px-4 py-3 align-top max-md:grid max-md:grid-cols-[6.5rem_minmax(0,1fr)] max-md:gap-3 max-md:border-t max-md:first-of-type:border-t-0 md:border-b md:border-l md:group-last:border-b-0 ${hidden ? "max-md:hidden md:bg-slate-50/60" : ""}`}
                    >
                      {environment ? (
                        // the column header, repeated for the stacked layout (screen readers already have it)
                        <span aria-hidden="true" className="pt-0.5 text-xs font-medium text-slate-600 md:hidden">
                          <EnvironmentName environment={environment} />
                        </span>
                      ) : null}
                      {hidden ? (
                        <p className="text-xs text-slate-400">Nothing for you here</p>
                      ) : (
                        <PipelineCellView
                          cell={cell}
                          now={asOf}
                          gates={gates[key]}
                          work={reasons}
                          hold={overview.holds[key] ?? null}
                        />
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The promotion direction, drawn on the boundary between two environment columns. */
function BoundaryArrow() {
  return (
    <span
      className="absolute top-1/2 -left-3 z-10 flex size-6 -translate-y-1/2 items-center justify-center rounded-full bg-white text-slate-400 ring-1 ring-slate-200"
      aria-hidden="true"
    >
      <svg
        viewBox="0 0 16 16"
        className="size-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M3 8h9M9 4.5 12.5 8 9 11.5" />
      </svg>
    </span>
  );
}
