import "server-only";
import { noInput } from "../input";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import {
  BUILT_IN_ROLES,
  levelOf,
  type AccessLevel,
  type EnvironmentPermission,
  type GlobalPermission,
} from "@/lib/domain/permissions";
import { db } from "../../db";
import { defineOperation } from "../operation";

import { canonical, environmentOrder, globalOrder } from "./shared";

// The role × environment access matrix: who may do what, where. Reading it needs no permission
// (everyone sees the rows of their own roles; matrix.edit holders see every row); changing it
// needs matrix.edit. Nothing is cached: lib/data/actor.ts reads the matrix afresh on every
// request, so a change holds from the affected users' very next request.

export const MATRIX_ACTIONS = ["matrix.cell.update", "matrix.role.global.update"] as const;

export interface MatrixEnvironment {
  id: string;
  key: string;
  name: string;
  color: string;
  protected: boolean;
}

export interface MatrixCell {
  environmentId: string;
  permissions: EnvironmentPermission[];
  level: AccessLevel | "custom";
  /** null: no row yet (the cell reads as No access) */
  updatedAt: Date | null;
  /** who made the last change; null when it came from a preset or set-up */
  updatedBy: string | null;
}

export interface MatrixRole {
  id: string;
  key: string;
  name: string;
  description: string | null;
  /** the viewer holds this role */
  mine: boolean;
  global: GlobalPermission[];
  /** one per environment, in pipeline order */
  cells: MatrixCell[];
}

export type MatrixChange = {
  at: Date;
  actor: string;
  role: { key: string; name: string };
  permissions: string[];
} & ({ kind: "cell"; environment: { key: string; name: string }; level: AccessLevel | "custom" } | { kind: "global" });

export interface AccessMatrix {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  canEdit: boolean;
  environments: MatrixEnvironment[];
  roles: MatrixRole[];
  /** the newest change among the rows shown */
  lastChange: MatrixChange | null;
}

// built-in roles in their documented order, custom ones after them by name
const builtInOrder = new Map<string, number>(BUILT_IN_ROLES.map((r, i) => [r.key, i]));
function byRoleOrder(a: { key: string; name: string }, b: { key: string; name: string }): number {
  const x = builtInOrder.get(a.key) ?? BUILT_IN_ROLES.length;
  const y = builtInOrder.get(b.key) ?? BUILT_IN_ROLES.length;
  return x - y || a.name.localeCompare(b.name);
}

interface RoleRow {
  id: string;
  key: string;
  name: string;
  description: string | null;
  global: string[];
  cells: { environmentId: string; permissions: string[]; updatedAt: string; updatedBy: string | null }[];
}

interface ChangeRow {
  at: Date;
  actorLabel: string;
  action: string;
  after: unknown;
}

const named = z.object({ key: z.string(), name: z.string() });
const changeAfter = z.object({
  role: named,
  environment: named.optional(),
  permissions: z.array(z.string()),
});

function toChange(row: ChangeRow): MatrixChange | null {
  const parsed = changeAfter.safeParse(row.after);
  if (!parsed.success) return null;
  const { role, environment, permissions } = parsed.data;
  const base = { at: row.at, actor: row.actorLabel, role, permissions };
  if (row.action === "matrix.cell.update" && environment)
    return { ...base, kind: "cell", environment, level: levelOf(permissions) };
  return { ...base, kind: "global" };
}

/**
 * The matrix as `actor` may see it: every role for matrix.edit holders, otherwise only the
 * actor's own roles (a token has none). Columns are the environments in pipeline order, all of
 * them: a row shows where its role has No access too. Three queries, run together.
 */
async function readAccessMatrix(actor: Actor): Promise<AccessMatrix> {
  const asOf = new Date();
  const canEdit = can(actor, "matrix.edit");
  const ownKeys = actor.kind === "user" ? actor.roles.map((r) => r.key) : [];
  const [environments, roleRows, changeRows] = await Promise.all([
    db().environment.findMany({
      select: { id: true, key: true, name: true, color: true, protected: true },
      orderBy: [{ position: "asc" }, { key: "asc" }],
    }),
    db().$queryRaw<RoleRow[]>`
      select r.id, r.key, r.name, r.description, r."globalPermissions"::text[] as global,
        coalesce(json_agg(json_build_object(
          'environmentId', ep."environmentId", 'permissions', ep.permissions,
          'updatedAt', ep."updatedAt", 'updatedBy', coalesce(u.name, u.email)
        )) filter (where ep.id is not null), '[]') as cells
      from "Role" r
      left join "EnvironmentPermission" ep on ep."roleId" = r.id
      left join "User" u on u.id = ep."updatedById"
      where ${canEdit} or r.key = any(${ownKeys}::text[])
      group by r.id`,
    db().$queryRaw<ChangeRow[]>`
      select a.at, a."actorLabel", a.action, a.after
      from "AuditEvent" a
      where a.action = any(${[...MATRIX_ACTIONS]}::text[])
        and (${canEdit} or a.after->'role'->>'key' = any(${ownKeys}::text[]))
      order by a.at desc, a.id desc
      limit 1`,
  ]);

  const own = new Set(ownKeys);
  const roles = roleRows.sort(byRoleOrder).map((row) => {
    const cells = new Map(row.cells.map((c) => [c.environmentId, c]));
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      description: row.description,
      mine: own.has(row.key),
      global: canonical<GlobalPermission>(row.global, globalOrder),
      cells: environments.map((environment): MatrixCell => {
        const cell = cells.get(environment.id);
        const permissions = canonical<EnvironmentPermission>(cell?.permissions ?? [], environmentOrder);
        return {
          environmentId: environment.id,
          permissions,
          level: levelOf(permissions),
          updatedAt: cell ? new Date(cell.updatedAt) : null,
          updatedBy: cell?.updatedBy ?? null,
        };
      }),
    };
  });
  const [change] = changeRows;
  return { asOf, canEdit, environments, roles, lastChange: change ? toChange(change) : null };
}

const matrixRead = defineOperation({
  name: "matrix.read",
  scope: "visible",
  effect: "read",
  // by design: a role's row says where it has No access, so every column is shown
  showsEveryEnvironment: true,
  input: noInput,
  run: ({ actor }) => readAccessMatrix(actor),
});

/** The access matrix as the actor may see it (see readAccessMatrix). */
export function getAccessMatrix(actor: Actor): Promise<AccessMatrix> {
  return matrixRead(actor, {});
}
