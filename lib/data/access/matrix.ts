import "server-only";
import { noInput } from "../input";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import {
  ACCESS_LEVELS,
  BUILT_IN_ROLES,
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  levelOf,
  permissionsOf,
  toDbPermission,
  type AccessLevel,
  type EnvironmentPermission,
  type GlobalPermission,
} from "@/lib/domain/permissions";
import type { Permission as DbPermission } from "../../generated/prisma/client";
import { db } from "../../db";
import { transaction } from "../context";
import { audit, type Tx } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { defineOperation } from "../operation";

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

const environmentOrder = new Map<string, number>(ENVIRONMENT_PERMISSIONS.map((p, i) => [p, i]));
const globalOrder = new Map<string, number>(GLOBAL_PERMISSIONS.map((p, i) => [p, i]));

/** Known permissions only, once each, in the vocabulary's order (so equal sets read the same). */
function canonical<P extends string>(list: readonly string[], order: ReadonlyMap<string, number>): P[] {
  return [...new Set(list.filter((p) => order.has(p)))].sort((a, b) => order.get(a)! - order.get(b)!) as P[];
}

const dbPermissions = (list: readonly (EnvironmentPermission | GlobalPermission)[]) =>
  list.map((p) => toDbPermission(p) as DbPermission);

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

const roleKey = z.string().trim().min(1, "Choose a role").max(100);
const environmentKey = z.string().trim().min(1, "Choose an environment").max(100);
const levelNames = Object.keys(ACCESS_LEVELS) as [AccessLevel, ...AccessLevel[]];

const cellInput = z
  .object({
    roleKey,
    environmentKey,
    /** a named level… */
    level: z.enum(levelNames).optional(),
    /** …or exactly these permissions ("Custom") */
    permissions: z
      .array(z.enum(ENVIRONMENT_PERMISSIONS))
      .max(ENVIRONMENT_PERMISSIONS.length * 2)
      .optional(),
  })
  .refine((v) => (v.level === undefined) !== (v.permissions === undefined), {
    message: "Give either a level or a list of permissions",
    path: ["level"],
  });

export type MatrixCellInput = z.input<typeof cellInput>;

async function findRole(tx: Tx, key: string) {
  const role = await tx.role.findUnique({ where: { key }, select: { id: true, key: true, name: true } });
  if (!role) throw new NotFoundError(`Role "${key}"`);
  return role;
}

/** Sets one cell of the matrix to a named level or to an exact permission set. */
export const updateMatrixCell = defineOperation({
  name: "matrix.cell.update",
  permission: "matrix.edit",
  input: cellInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: async ({ actor, input, environment, ctx }): Promise<MatrixCell> => {
    if (!environment) throw new Error("matrix.cell.update runs in an environment");
    const env = environment;
    const after = canonical<EnvironmentPermission>(
      input.permissions ?? permissionsOf(input.level ?? "none"),
      environmentOrder,
    );
    return transaction(ctx, async (tx) => {
      const role = await findRole(tx, input.roleKey);
      // make sure the (role, environment) row exists — the unique pair makes a concurrent insert
      // wait and then do nothing — and lock it, so simultaneous changes of one cell apply one
      // after the other and each audits the state it really replaced
      await tx.environmentPermission.createMany({
        data: [{ roleId: role.id, environmentId: env.id, permissions: [] }],
        skipDuplicates: true,
      });
      const [locked] = await tx.$queryRaw<{ id: string; permissions: string[] }[]>`
        select id, permissions::text[] as permissions from "EnvironmentPermission"
        where "roleId" = ${role.id}::uuid and "environmentId" = ${env.id}::uuid
        for update`;
      if (!locked) throw new Error("matrix cell vanished while locked");
      const before = canonical<EnvironmentPermission>(locked.permissions, environmentOrder);
      const row = await tx.environmentPermission.update({
        where: { id: locked.id },
        data: { permissions: dbPermissions(after), updatedById: actor.kind === "user" ? actor.id : null },
        select: { updatedAt: true, updatedBy: { select: { name: true, email: true } } },
      });
      const subject = {
        role: { key: role.key, name: role.name },
        environment: { key: input.environmentKey, name: env.name },
      };
      await audit(tx, actor, {
        action: "matrix.cell.update",
        entityType: "EnvironmentPermission",
        entityId: locked.id,
        environmentId: env.id,
        before: { ...subject, level: levelOf(before), permissions: before },
        after: { ...subject, level: levelOf(after), permissions: after },
      });
      return {
        environmentId: env.id,
        permissions: after,
        level: levelOf(after),
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy ? (row.updatedBy.name ?? row.updatedBy.email) : null,
      };
    });
  },
});

const globalInput = z.object({
  roleKey,
  permissions: z.array(z.enum(GLOBAL_PERMISSIONS)).max(GLOBAL_PERMISSIONS.length * 2),
});

export type RoleGlobalInput = z.input<typeof globalInput>;

// one lock for every change of global permissions: two admins each removing matrix.edit from
// a different role at once must not both pass the lock-out check
const GLOBAL_LOCK = 0x6d617472; // "matr"

/**
 * Sets the permissions a role holds everywhere (matrix.edit, audit.view, user.manage,
 * token.manage). Refused when it would leave no role with an active member holding
 * matrix.edit: nobody could ever change the matrix again. (Cells cannot lock anyone out:
 * matrix.edit is only ever global.)
 */
export const updateRoleGlobalPermissions = defineOperation({
  name: "matrix.role.global.update",
  permission: "matrix.edit",
  input: globalInput,
  scope: "global",
  run: async ({ actor, input, ctx }): Promise<GlobalPermission[]> => {
    const after = canonical<GlobalPermission>(input.permissions, globalOrder);
    return transaction(ctx, async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(${GLOBAL_LOCK}::int)`;
      const [role] = await tx.$queryRaw<{ id: string; key: string; name: string; global: string[] }[]>`
        select id, key, name, "globalPermissions"::text[] as global from "Role" where key = ${input.roleKey} for update`;
      if (!role) throw new NotFoundError(`Role "${input.roleKey}"`);
      const before = canonical<GlobalPermission>(role.global, globalOrder);
      if (before.includes("matrix.edit") && !after.includes("matrix.edit")) {
        const [others] = await tx.$queryRaw<{ n: number }[]>`
          select count(*)::int as n from "Role" r
          where r.id <> ${role.id}::uuid and 'matrix.edit'::"Permission" = any(r."globalPermissions")
            and exists (select 1 from "UserRole" ur join "User" u on u.id = ur."userId"
                        where ur."roleId" = r.id and u.active)`;
        if (!others?.n)
          throw new ConflictError(
            `${role.name} is the only role whose members can change the access matrix: removing matrix.edit would lock everyone out. Give matrix.edit to another role with active members first.`,
          );
      }
      await tx.role.update({ where: { id: role.id }, data: { globalPermissions: dbPermissions(after) } });
      const subject = { role: { key: role.key, name: role.name } };
      await audit(tx, actor, {
        action: "matrix.role.global.update",
        entityType: "Role",
        entityId: role.id,
        before: { ...subject, permissions: before },
        after: { ...subject, permissions: after },
      });
      return after;
    });
  },
});

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
