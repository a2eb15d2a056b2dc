"use client";

import { useDeferredValue, useId, useState } from "react";
import Link from "@/components/ui/link";
import type { FlagGrid, FlagGridCell, FlagGridRow } from "@/lib/data/flags/grid";
import type { FlagChangeRequestView } from "@/lib/data/flags/change-requests";
import { FlagCellEditor } from "./cell-editor";
import { FlagToggle } from "./toggle";

// The flag grid: flags × the environments the viewer may see, grouped by category, with a search
// by key, name or description, a filter for flags that differ between environments and one for
// stale flags (a badge says why: on everywhere, or not evaluated for a while). Each cell
// says the state in words and, for those who may, changes it (the server checks flag.toggle).
// Archived flags are hidden unless asked for, and then read-only.

function CellState({ cell }: { cell: FlagGridCell }) {
  if (!cell.enabled)
    return (
      <span className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-500/20 ring-inset">
        <span className="size-2 rounded-full border border-slate-500" aria-hidden="true" />
        Off
      </span>
    );
  const share = cell.rolloutPercent !== null && cell.rolloutPercent < 100 ? ` for ${cell.rolloutPercent}%` : "";
  const n = cell.rules.length;
  const rules = n ? ` + ${n} rule${n === 1 ? "" : "s"}` : "";
  return (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800 ring-1 ring-green-600/25 ring-inset">
      <span className="size-2 rounded-full bg-green-600" aria-hidden="true" />
      On{share}
      {rules}
    </span>
  );
}

function StaleBadge({ reason }: { reason: string }) {
  return (
    <>
      {" "}
      <span
        title={reason}
        className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 ring-1 ring-slate-300"
      >
        Stale<span className="sr-only">: {reason}</span>
      </span>
    </>
  );
}

function matches(flag: FlagGridRow, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return (
    flag.key.toLowerCase().includes(q) ||
    flag.name.toLowerCase().includes(q) ||
    (flag.description ?? "").toLowerCase().includes(q)
  );
}

export function FlagGridView({
  grid,
  requests = [],
}: {
  grid: FlagGrid;
  /** pending change requests: marked in their cell, the author's own edited there */
  requests?: FlagChangeRequestView[];
}) {
  const pendingIn = (flagKey: string, environmentKey: string) =>
    requests.filter((r) => r.status === "pending" && r.flagKey === flagKey && r.environmentKey === environmentKey);
  const [query, setQuery] = useState("");
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const [onlyStale, setOnlyStale] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const deferred = useDeferredValue(query.trim());
  const searchId = useId();
  const differId = useId();
  const staleId = useId();
  const archivedId = useId();
  const archivedCount = grid.flags.filter((f) => f.archived).length;
  const pool = showArchived ? grid.flags : grid.flags.filter((f) => !f.archived);
  const shown = pool.filter(
    (f) => matches(f, deferred) && (!onlyDiffering || f.differs) && (!onlyStale || f.stale !== null),
  );
  const categories = [...new Set(shown.map((f) => f.category))];
  const differing = pool.filter((f) => f.differs).length;
  const staleCount = pool.filter((f) => f.stale !== null).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <div>
          <label htmlFor={searchId} className="block text-sm font-medium text-slate-700">
            Search flags
          </label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            placeholder="Key, name or description"
            className="mt-1 w-72 max-w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:outline-2 focus:outline-offset-1 focus:outline-slate-900"
          />
        </div>
        <div className="flex items-center gap-2 pb-1.5">
          <input
            id={differId}
            type="checkbox"
            checked={onlyDiffering}
            onChange={(e) => setOnlyDiffering(e.currentTarget.checked)}
            className="size-4 accent-slate-900"
          />
          <label htmlFor={differId} className="text-sm text-slate-900">
            Only flags that differ between environments ({differing})
          </label>
        </div>
        <div className="flex items-center gap-2 pb-1.5">
          <input
            id={staleId}
            type="checkbox"
            checked={onlyStale}
            onChange={(e) => setOnlyStale(e.currentTarget.checked)}
            className="size-4 accent-slate-900"
          />
          <label htmlFor={staleId} className="text-sm text-slate-900">
            Stale ({staleCount})
          </label>
        </div>
        {archivedCount ? (
          <div className="flex items-center gap-2 pb-1.5">
            <input
              id={archivedId}
              type="checkbox"
              checked={showArchived}
              onChange={(e) => setShowArchived(e.currentTarget.checked)}
              className="size-4 accent-slate-900"
            />
            <label htmlFor={archivedId} className="text-sm text-slate-900">
              Show archived ({archivedCount})
            </label>
          </div>
        ) : null}
        <p aria-live="polite" className="pb-1.5 text-sm text-slate-500">
          {shown.length === pool.length
            ? `${pool.length} flag${pool.length === 1 ? "" : "s"}`
            : `${shown.length} of ${pool.length} flags`}
        </p>
      </div>

      {shown.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-sm text-slate-600">
          No flag matches{deferred ? ` “${deferred}”` : ""}
          {onlyDiffering ? " among those that differ between environments" : ""}
          {onlyStale ? " among the stale ones" : ""}.
        </p>
      ) : (
        categories.map((category) => (
          <section key={category} aria-labelledby={`flags-${category}`}>
            <h2 id={`flags-${category}`} className="text-sm font-semibold uppercase tracking-wide text-slate-500">
              {category}
            </h2>
            <div
              role="region"
              aria-label={`Flags in ${category}`}
              tabIndex={0}
              className="mt-2 overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200"
            >
              {/* fixed columns: every category's table lines up with the others */}
              <table className="w-full min-w-[40rem] table-fixed text-left text-sm">
                <caption className="sr-only">Flags in {category}, by environment</caption>
                <thead className="text-xs font-semibold uppercase tracking-wide text-slate-500">
                  <tr className="border-b border-slate-200">
                    <th scope="col" className="w-2/5 px-4 py-2">
                      Flag
                    </th>
                    {grid.environments.map((e) => (
                      <th key={e.key} scope="col" className="px-4 py-2 whitespace-nowrap">
                        {e.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {shown
                    .filter((f) => f.category === category)
                    .map((flag) => (
                      <tr key={flag.key} className={flag.archived ? "bg-slate-50" : undefined}>
                        <th scope="row" className="px-4 py-2 align-top font-normal">
                          <Link
                            href={`/flags/${encodeURIComponent(flag.key)}`}
                            className="font-medium text-slate-900 hover:underline"
                          >
                            {flag.name}
                          </Link>
                          {flag.archived ? (
                            <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-700 ring-1 ring-slate-300">
                              Archived
                            </span>
                          ) : null}
                          {flag.differs ? " " : null}
                          {flag.differs ? (
                            <span className="ml-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-300">
                              differs
                            </span>
                          ) : null}
                          {flag.stale ? <StaleBadge reason={flag.stale} /> : null}
                          <span className="block font-mono text-xs text-slate-500">{flag.key}</span>
                          {flag.description ? (
                            <span className="block max-w-sm text-xs text-slate-600">{flag.description}</span>
                          ) : null}
                        </th>
                        {grid.environments.map((e) => {
                          const cell = flag.cells[e.key] ?? { enabled: false, rolloutPercent: null, rules: [] };
                          const pendingHere = pendingIn(flag.key, e.key);
                          const mine = pendingHere.find((r) => r.mine) ?? null;
                          return (
                            <td key={e.key} className="px-4 py-2 align-top">
                              <div className="flex flex-col items-start gap-1.5">
                                <CellState cell={cell} />
                                {pendingHere.length ? (
                                  <a
                                    href={`#request-${pendingHere[0]!.id}`}
                                    className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-300 hover:underline"
                                  >
                                    {pendingHere.length === 1
                                      ? `change pending: ${pendingHere[0]!.proposed.enabled ? "on" : "off"}`
                                      : `${pendingHere.length} changes pending`}
                                  </a>
                                ) : null}
                                {flag.archived ? null : (
                                  <FlagToggle
                                    approvals={e.approvals}
                                    environmentKey={e.key}
                                    environmentName={e.name}
                                    flagKey={flag.key}
                                    flagName={flag.name}
                                    enabled={cell.enabled}
                                    allowed={e.canToggle}
                                  />
                                )}
                                {e.canToggle && !flag.archived ? (
                                  <FlagCellEditor
                                    // a fresh form whenever the saved state changes
                                    key={JSON.stringify([cell, mine?.id, mine?.proposed])}
                                    approvals={e.approvals}
                                    canOverride={e.canOverride}
                                    myRequest={mine}
                                    environmentKey={e.key}
                                    environmentName={e.name}
                                    flagKey={flag.key}
                                    flagName={flag.name}
                                    cell={cell}
                                  />
                                ) : null}
                              </div>
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </div>
  );
}
