"use client";

import type { MatrixCell, MatrixEnvironment, MatrixRole } from "@/lib/data/access/matrix";
import type { AccessLevel } from "@/lib/domain/permissions";
import { AccessLevelBadge, AccessLevelIcon, LEVEL_CLASSES } from "./level-badge";
import { ENVIRONMENT_PERMISSION_TEXT, LEVEL_META, LEVEL_ORDER } from "./vocabulary";
import { formatAbsolute, formatRelative } from "@/components/ui/format";

// One role × environment cell: a labelled <select> for matrix.edit holders, a badge for
// everyone else. Who set it and when shows on hover or focus (and is the select's description).

export type ViewCell = MatrixCell & { saving?: boolean };

const CUSTOM = "custom";

export function AccessCell({
  role,
  environment,
  cell,
  asOf,
  canEdit,
  onLevel,
  onCustom,
}: {
  role: Pick<MatrixRole, "key" | "name">;
  environment: MatrixEnvironment;
  cell: ViewCell;
  asOf: Date;
  canEdit: boolean;
  onLevel: (level: AccessLevel) => void;
  onCustom: () => void;
}) {
  const updatedId = `access-${role.key}-${environment.key}-updated`;
  const label = `Access for ${role.name} in ${environment.name}`;
  return (
    <td className="group border-b border-l border-slate-200 px-3 py-2.5 align-top group-last/row:border-b-0">
      {canEdit ? (
        <div
          className={`flex items-center gap-1.5 rounded-md pl-2 ring-1 ring-inset focus-within:ring-2 focus-within:ring-slate-900 ${LEVEL_CLASSES[cell.level]}`}
        >
          <AccessLevelIcon level={cell.level} />
          <select
            aria-label={label}
            aria-describedby={updatedId}
            value={cell.level}
            onChange={(event) => {
              const value = event.target.value;
              if (value === CUSTOM) onCustom();
              else onLevel(value as AccessLevel);
            }}
            className="min-w-0 flex-1 cursor-pointer rounded-md bg-transparent py-1 pr-1 text-xs font-medium focus:outline-none"
          >
            {LEVEL_ORDER.map((level) => (
              <option key={level} value={level}>
                {LEVEL_META[level].label}
              </option>
            ))}
            {/* "…": choosing it opens the checkbox list; a custom cell reads plainly "Custom" */}
            <option value={CUSTOM}>{cell.level === CUSTOM ? "Custom" : "Custom…"}</option>
          </select>
        </div>
      ) : (
        // focusable so keyboard users can reveal who set it, as a hover does
        <span tabIndex={0} aria-describedby={updatedId} className="inline-block rounded-full">
          <span className="sr-only">{label}: </span>
          <AccessLevelBadge level={cell.level} permissions={cell.permissions} />
        </span>
      )}
      {cell.level === CUSTOM ? (
        <details className="mt-1.5 text-xs">
          <summary className="cursor-pointer rounded text-slate-600 hover:text-slate-900">
            {cell.permissions.length} permission{cell.permissions.length === 1 ? "" : "s"}
            <span className="sr-only">
              {" "}
              for {role.name} in {environment.name}
            </span>
          </summary>
          <ul className="mt-1 space-y-0.5 pl-1">
            {cell.permissions.map((p) => (
              <li key={p} title={ENVIRONMENT_PERMISSION_TEXT[p]} className="font-mono text-[11px] text-slate-700">
                {p}
              </li>
            ))}
          </ul>
          {canEdit ? (
            <button
              type="button"
              onClick={onCustom}
              className="mt-1 rounded text-xs font-medium text-slate-700 underline hover:text-slate-900"
            >
              Change permissions
              <span className="sr-only">
                {" "}
                for {role.name} in {environment.name}
              </span>
              …
            </button>
          ) : null}
        </details>
      ) : null}
      <p
        id={updatedId}
        className={`mt-1 text-[11px] leading-tight text-slate-500 transition-opacity ${
          cell.saving ? "opacity-100" : "opacity-0 group-hover:opacity-100 group-focus-within:opacity-100"
        }`}
      >
        <Updated cell={cell} asOf={asOf} />
      </p>
    </td>
  );
}

function Updated({ cell, asOf }: { cell: ViewCell; asOf: Date }) {
  if (cell.saving) return <>Saving…</>;
  if (!cell.updatedAt) return <>Never set</>;
  const when = (
    <time dateTime={cell.updatedAt.toISOString()} title={formatAbsolute(cell.updatedAt)}>
      {formatRelative(cell.updatedAt, asOf)}
    </time>
  );
  return cell.updatedBy ? (
    <>
      Set by {cell.updatedBy}, {when}
    </>
  ) : (
    <>Set at set-up, {when}</>
  );
}
