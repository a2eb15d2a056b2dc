import Link from "@/components/ui/link";
import type { AuditEventList, AuditEventRow } from "@/lib/data/audit/log";
import { AuditActor } from "./actor";
import { AuditDetails } from "./details";
import { EnvironmentName } from "@/components/environments/name";
import { formatAbsolute, formatRelative } from "@/components/ui/format";

// The audit events of one page, newest first. Below the md breakpoint each row becomes a card;
// the explicit roles keep it a table for screen readers either way. Refusals and failed
// sign-ins are marked in red: they are what a reader of the trail usually looks for.

function isRefusal(action: string): boolean {
  return action === "authz.denied" || action.endsWith(".failed") || action.endsWith(".throttled");
}

/** The release an event is about, when its record names one (decisions, checklist ticks). */
function releaseOf(event: AuditEventRow): string | null {
  if (event.entityType === "Release") return event.entityId;
  const after = event.after as { releaseId?: unknown } | null;
  return typeof after?.releaseId === "string" ? after.releaseId : null;
}

const cell = "px-4 py-3 align-top max-md:block max-md:p-0";

// full class names, so Tailwind finds them
const COLUMNS = [
  ["When", "w-44"],
  ["Actor", "w-52"],
  ["Action", "w-48"],
  ["Environment", "w-36"],
  ["What happened", ""],
] as const;

export function AuditTable({ list }: { list: AuditEventList }) {
  const { rows, asOf } = list;
  return (
    <div
      role="region"
      aria-label="Audit events table"
      tabIndex={0}
      className="md:overflow-x-auto md:rounded-lg md:bg-white md:shadow-sm md:ring-1 md:ring-slate-200"
    >
      {/* fixed columns: opening an event's details must not make the others jump */}
      <table role="table" className="w-full text-left text-sm max-md:block md:min-w-[56rem] md:table-fixed">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead
          role="rowgroup"
          className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 max-md:sr-only"
        >
          <tr role="row">
            {COLUMNS.map(([heading, width]) => (
              <th key={heading} role="columnheader" scope="col" className={`px-4 py-3 ${width}`}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-200 max-md:block max-md:space-y-3 max-md:divide-y-0">
          {rows.map((event) => (
            <tr
              key={event.id}
              role="row"
              className="max-md:block max-md:rounded-lg max-md:bg-white max-md:px-4 max-md:py-3 max-md:shadow-sm max-md:ring-1 max-md:ring-slate-200"
            >
              <td
                role="cell"
                className={`${cell} whitespace-nowrap text-slate-700 max-md:text-xs max-md:text-slate-500`}
              >
                <time dateTime={event.at.toISOString()}>
                  <span className="md:block">{formatRelative(event.at, asOf)}</span>
                  <span className="text-xs text-slate-500 max-md:before:content-['_·_'] md:block">
                    {formatAbsolute(event.at)}
                  </span>
                </time>
              </td>
              <td role="cell" className={`${cell} text-slate-900 max-md:mt-1`}>
                <AuditActor label={event.actorLabel} kind={event.actorKind} />
              </td>
              <td role="cell" className={`${cell} max-md:mt-1`}>
                {isRefusal(event.action) ? (
                  <span className="inline-flex items-center rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-red-800 ring-1 ring-inset ring-red-600/25">
                    {event.actionLabel}
                  </span>
                ) : (
                  <span className="font-medium text-slate-900">{event.actionLabel}</span>
                )}
              </td>
              <td role="cell" className={`${cell} whitespace-nowrap text-slate-700 max-md:mt-1 max-md:text-xs`}>
                {event.environment ? (
                  <>
                    <span className="text-slate-500 md:hidden">In </span>
                    <EnvironmentName environment={{ ...event.environment, protected: false }} />
                    {event.environment.deleted ? (
                      <span className="text-xs text-slate-500"> (since deleted)</span>
                    ) : null}
                  </>
                ) : (
                  <span className="text-slate-400 max-md:hidden">
                    <span aria-hidden="true">—</span>
                    <span className="sr-only">No environment</span>
                  </span>
                )}
              </td>
              <td role="cell" className={`${cell} text-slate-700 max-md:mt-2`}>
                {event.summary ? (
                  <p className="break-words">
                    {event.summary}
                    {releaseOf(event) ? (
                      <>
                        <span aria-hidden="true" className="text-slate-400">
                          {" · "}
                        </span>
                        <span className="sr-only">. </span>
                        <Link
                          href={`/releases/${releaseOf(event)}`}
                          className="text-sm font-medium whitespace-nowrap text-brand-700 hover:underline"
                        >
                          Open the release
                        </Link>
                      </>
                    ) : null}
                  </p>
                ) : null}
                <AuditDetails event={event} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
