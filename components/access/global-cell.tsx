"use client";

import type { MatrixRole } from "@/lib/data/access/matrix";
import { GLOBAL_PERMISSION_TEXT } from "./vocabulary";

// What a role may do everywhere (matrix.edit, audit.view, user.manage, token.manage): the
// matrix's last column, editable through the same checkbox dialog as a custom cell.

export function AccessGlobalCell({
  role,
  canEdit,
  saving,
  onEdit,
}: {
  role: Pick<MatrixRole, "key" | "name" | "global">;
  canEdit: boolean;
  saving: boolean;
  onEdit: () => void;
}) {
  return (
    <td className="border-b border-l border-slate-200 bg-slate-50/60 px-3 py-2.5 align-top group-last/row:border-b-0">
      {role.global.length ? (
        <ul className="flex flex-wrap gap-1">
          {role.global.map((p) => (
            <li
              key={p}
              title={GLOBAL_PERMISSION_TEXT[p]}
              className="rounded bg-white px-1.5 py-0.5 font-mono text-[11px] text-slate-700 ring-1 ring-slate-200"
            >
              {p}
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-xs text-slate-500">None</span>
      )}
      {canEdit ? (
        <button
          type="button"
          onClick={onEdit}
          disabled={saving}
          className="mt-1.5 block rounded text-xs font-medium text-slate-700 underline hover:text-slate-900 disabled:no-underline disabled:opacity-60"
        >
          {saving ? "Saving…" : "Edit"}
          <span className="sr-only"> global permissions of {role.name}</span>
        </button>
      ) : null}
    </td>
  );
}
