import type { ReactNode } from "react";
import type { FlagDetail } from "@/lib/data/flags/detail";
import { RelativeTime } from "@/components/ui/relative-time";
import { FlagRules, FlagStateBadge } from "./state-text";

// The read-only tables of a flag's page: its state per environment and its history. Its change
// requests and scheduled changes are components/flags/change-requests.tsx, as on the grid.

const th = "px-4 py-2 text-left";
const td = "px-4 py-2 align-top";

function Table({ label, head, children }: { label: string; head: string[]; children: ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
    >
      <table className="w-full text-sm">
        <caption className="sr-only">{label}</caption>
        <thead className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr className="border-b border-slate-200">
            {head.map((h) => (
              <th key={h} scope="col" className={th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** A quiet "nothing here" line: these sections are often empty, and a big box would drown the page. */
function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm">
      <p className="font-medium text-slate-900">{title}</p>
      {children ? <p className="text-slate-600">{children}</p> : null}
    </div>
  );
}

function EnvironmentName({ environment }: { environment: { name: string; color?: string } }) {
  return (
    <span className="inline-flex items-center gap-2 font-medium text-slate-900">
      {environment.color ? (
        <span className="size-2.5 rounded-full" style={{ backgroundColor: environment.color }} aria-hidden="true" />
      ) : null}
      {environment.name}
    </span>
  );
}

export function FlagEnvironmentStates({ flag }: { flag: FlagDetail }) {
  if (flag.environments.length === 0)
    return <Empty title="No environment to show">None of your roles lets you see an environment.</Empty>;
  return (
    <Table
      label={`${flag.name} in each environment`}
      head={["Environment", "State", "Share of users", "Targeting rules"]}
    >
      {flag.environments.map((e) => (
        <tr key={e.key}>
          <th scope="row" className={`${td} text-left font-normal`}>
            <EnvironmentName environment={e} />
          </th>
          <td className={td}>
            <FlagStateBadge state={e.state} />
          </td>
          <td className={`${td} text-slate-700`}>
            {!e.state.enabled ? "—" : e.state.rolloutPercent === null ? "Everyone" : `${e.state.rolloutPercent}%`}
          </td>
          <td className={td}>
            <FlagRules rules={e.state.rules} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function FlagHistory({ flag }: { flag: FlagDetail }) {
  if (flag.history.length === 0)
    return <Empty title="No history yet">Every change to this flag will be listed here.</Empty>;
  return (
    <>
      <ol
        aria-label={`History of ${flag.name}`}
        className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      >
        {flag.history.map((e) => (
          <li key={e.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-baseline sm:gap-4">
            <span className="w-28 shrink-0 text-xs whitespace-nowrap text-slate-500">
              <RelativeTime date={e.at} now={flag.asOf} />
            </span>
            <span className="min-w-0 text-sm text-slate-800">
              <span className="sr-only">{e.actionLabel}: </span>
              {e.summary}
            </span>
          </li>
        ))}
      </ol>
      {flag.historyTruncated ? (
        <p className="mt-2 text-xs text-slate-500">
          The newest {flag.history.length} events; the audit log has all of them.
        </p>
      ) : null}
    </>
  );
}
