"use client";

import { useOptimistic, useState, useTransition } from "react";
import { updateMatrixCellAction, updateRoleGlobalAction } from "@/app/access/actions";
import type { AccessMatrix as Matrix, MatrixEnvironment, MatrixRole } from "@/lib/data/access/matrix";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  levelOf,
  permissionsOf,
  type AccessLevel,
  type EnvironmentPermission,
  type GlobalPermission,
} from "@/lib/domain/permissions";
import { AccessCell, type ViewCell } from "./cell";
import { AccessGlobalCell } from "./global-cell";
import { AccessPermissionDialog } from "./permission-dialog";
import { ENVIRONMENT_PERMISSION_TEXT, GLOBAL_PERMISSION_TEXT, LEVEL_META } from "./vocabulary";
import { ProtectedMark } from "@/components/environments/name";

// Roles (rows) × environments (columns, pipeline order) and a last column of global
// permissions. A change shows at once (useOptimistic); the server action's revalidation then
// brings the saved state, and a refused change falls back to what the server holds, with the
// reason above the grid. On narrow screens the grid scrolls sideways under sticky role names.

type ViewRole = Omit<MatrixRole, "cells"> & { cells: ViewCell[]; savingGlobal?: boolean };

type Change =
  | { kind: "cell"; roleKey: string; environmentId: string; permissions: EnvironmentPermission[] }
  | { kind: "global"; roleKey: string; permissions: GlobalPermission[] };

function applyChange(roles: ViewRole[], change: Change): ViewRole[] {
  return roles.map((role) => {
    if (role.key !== change.roleKey) return role;
    if (change.kind === "global") return { ...role, global: change.permissions, savingGlobal: true };
    return {
      ...role,
      cells: role.cells.map((cell) =>
        cell.environmentId === change.environmentId
          ? { ...cell, permissions: change.permissions, level: levelOf(change.permissions), saving: true }
          : cell,
      ),
    };
  });
}

type Dialog =
  { kind: "cell"; role: ViewRole; environment: MatrixEnvironment; cell: ViewCell } | { kind: "global"; role: ViewRole };

const environmentOptions = ENVIRONMENT_PERMISSIONS.map((value) => ({
  value,
  description: ENVIRONMENT_PERMISSION_TEXT[value],
}));
const globalOptions = GLOBAL_PERMISSIONS.map((value) => ({ value, description: GLOBAL_PERMISSION_TEXT[value] }));

export function AccessMatrix({ matrix, labelledBy }: { matrix: Matrix; labelledBy: string }) {
  const { environments, canEdit, asOf } = matrix;
  const [roles, addChange] = useOptimistic<ViewRole[], Change>(matrix.roles, applyChange);
  const [, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  function save(change: Change, what: string, run: () => Promise<{ ok: boolean; message?: string }>) {
    setError(null);
    startTransition(async () => {
      addChange(change);
      const result = await run();
      if (!result.ok)
        setError(`Could not change ${what}: ${result.message ?? "the server refused"} Nothing was saved.`);
    });
  }

  function saveCell(
    role: ViewRole,
    environment: MatrixEnvironment,
    next: { level: AccessLevel } | { permissions: EnvironmentPermission[] },
  ) {
    const permissions = "level" in next ? permissionsOf(next.level) : next.permissions;
    save(
      { kind: "cell", roleKey: role.key, environmentId: environment.id, permissions },
      `${role.name} in ${environment.name}`,
      () => updateMatrixCellAction({ roleKey: role.key, environmentKey: environment.key, ...next }),
    );
  }

  function saveGlobal(role: ViewRole, permissions: GlobalPermission[]) {
    save({ kind: "global", roleKey: role.key, permissions }, `the global permissions of ${role.name}`, () =>
      updateRoleGlobalAction({ roleKey: role.key, permissions }),
    );
  }

  return (
    <>
      <div aria-live="polite" className="empty:hidden">
        {error ? (
          <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            {error}
          </p>
        ) : null}
      </div>
      <div
        role="region"
        aria-labelledby={labelledBy}
        tabIndex={0}
        className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      >
        <table
          className="w-full min-w-(--matrix-min-width) table-fixed border-separate border-spacing-0 text-left text-sm"
          // equal environment columns; past a few the grid scrolls sideways instead of squeezing
          style={{ "--matrix-min-width": `${8 + environments.length * 10.5 + 14}rem` } as React.CSSProperties}
        >
          <caption className="sr-only">
            Access of each role (rows) in each environment (columns, in promotion order:{" "}
            {environments.map((e) => e.name).join(" → ")}), and the permissions each role holds everywhere.
          </caption>
          <thead>
            <tr>
              <th
                scope="col"
                className="sticky left-0 z-20 w-32 border-b border-slate-200 bg-slate-50 px-3 py-2.5 text-xs font-semibold tracking-wide text-slate-500 uppercase sm:w-48"
              >
                Role
              </th>
              {environments.map((environment) => (
                <th
                  key={environment.id}
                  scope="col"
                  className="border-b border-l border-slate-200 bg-slate-50 px-3 py-2.5 align-top font-semibold text-slate-900"
                  style={{ boxShadow: `inset 0 3px 0 ${environment.color}` }}
                >
                  <span className="inline-flex items-center gap-1.5">
                    {environment.name}
                    {environment.protected ? <ProtectedMark /> : null}
                  </span>
                </th>
              ))}
              <th
                scope="col"
                className="w-56 border-b border-l border-slate-200 bg-slate-50 px-3 py-2.5 align-top font-semibold text-slate-900"
              >
                Everywhere
                <span className="block text-xs font-normal text-slate-500">global permissions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <tr key={role.key} className="group/row">
                <th
                  scope="row"
                  className="sticky left-0 z-10 border-b border-slate-200 bg-white px-3 py-2.5 align-top font-normal shadow-[1px_0_0_var(--color-slate-200)] group-last/row:border-b-0"
                >
                  <span className="block font-semibold break-words text-slate-900">{role.name}</span>
                  {role.mine ? (
                    <span className="mt-0.5 inline-block rounded-full bg-brand-50 px-1.5 py-px text-[11px] font-medium text-brand-700 ring-1 ring-brand-600/20">
                      Your role
                    </span>
                  ) : null}
                  {role.description ? (
                    <span className="mt-0.5 hidden text-xs text-slate-500 sm:line-clamp-2">{role.description}</span>
                  ) : null}
                </th>
                {environments.map((environment, i) => {
                  const cell = role.cells[i];
                  if (!cell) return <td key={environment.id} className="border-b border-l border-slate-200" />;
                  return (
                    <AccessCell
                      key={environment.id}
                      role={role}
                      environment={environment}
                      cell={cell}
                      asOf={asOf}
                      canEdit={canEdit}
                      onLevel={(level) => saveCell(role, environment, { level })}
                      onCustom={() => setDialog({ kind: "cell", role, environment, cell })}
                    />
                  );
                })}
                <AccessGlobalCell
                  role={role}
                  canEdit={canEdit}
                  saving={role.savingGlobal ?? false}
                  onEdit={() => setDialog({ kind: "global", role })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {environments.length > 1 ? (
        <p className="mt-2 text-xs text-slate-500 sm:hidden">Scroll the grid sideways to see every environment.</p>
      ) : null}
      {dialog?.kind === "cell" ? (
        <AccessPermissionDialog
          title={`Custom access for ${dialog.role.name} in ${dialog.environment.name}`}
          description={`Tick exactly what ${dialog.role.name} may do in ${dialog.environment.name}. A set that matches a named level is shown as that level. Now: ${LEVEL_META[dialog.cell.level].label}.`}
          options={environmentOptions}
          initial={dialog.cell.permissions}
          onClose={() => setDialog(null)}
          onSave={(permissions) => {
            setDialog(null);
            saveCell(dialog.role, dialog.environment, { permissions });
          }}
        />
      ) : dialog?.kind === "global" ? (
        <AccessPermissionDialog
          title={`Global permissions of ${dialog.role.name}`}
          description={`What everyone with the ${dialog.role.name} role may do, whatever the environment.`}
          options={globalOptions}
          initial={dialog.role.global}
          onClose={() => setDialog(null)}
          onSave={(permissions) => {
            setDialog(null);
            saveGlobal(dialog.role, permissions);
          }}
        />
      ) : null}
    </>
  );
}
