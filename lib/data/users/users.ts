import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { fromDbPermission, type Permission } from "@/lib/domain/permissions";
import { hashPassword } from "@/lib/password";
import { Prisma } from "@/lib/generated/prisma/client";
import { transaction, sqlOf } from "../context";
import { audit, type Tx } from "../audit/record";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { defineOperation } from "../operation";
import { normalizeEmail } from "../identity/sign-in";

// Users and roles, for holders of user.manage. Every change is audited in its own transaction;
// a deactivated user is refused at their next request because lib/data/actor.ts reads `active`
// on every request. Password hashes never leave this module: reads select columns explicitly.

export interface RoleRef {
  key: string;
  name: string;
}

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  active: boolean;
  roles: RoleRef[];
  lastSignInAt: Date | null;
  createdAt: Date;
}

export interface RoleSummary extends RoleRef {
  id: string;
  description: string | null;
  builtIn: boolean;
  /** permissions the role holds everywhere (the matrix holds the per-environment ones) */
  globalPermissions: Permission[];
  /** how many users (active or not) hold it */
  userCount: number;
}

export const MIN_PASSWORD_LENGTH = 12;
export const ROLE_KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

const userId = z.uuid("Choose a user");
const email = z
  .string()
  .trim()
  .max(320, "Use at most 320 characters")
  .transform(normalizeEmail)
  .pipe(z.email("Enter a valid email address"));
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, "Use at most 1024 characters");
const roleKeys = z
  .array(z.string().trim().min(1))
  .max(50)
  .transform((keys) => [...new Set(keys)].sort());
const empty = z.object({}).optional();

const userColumns = {
  id: true,
  email: true,
  name: true,
  active: true,
  lastSignInAt: true,
  createdAt: true,
  roles: { select: { role: { select: { key: true, name: true } } } },
} satisfies Prisma.UserSelect;

type UserRow = Prisma.UserGetPayload<{ select: typeof userColumns }>;

function toUserSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    active: row.active,
    roles: row.roles.map((r) => r.role).sort((a, b) => a.name.localeCompare(b.name)),
    lastSignInAt: row.lastSignInAt,
    createdAt: row.createdAt,
  };
}

const listUsersOperation = defineOperation({
  name: "user.list",
  permission: "user.manage",
  input: empty,
  scope: "global",
  run: async ({ ctx }) => {
    const rows = await sqlOf(ctx).user.findMany({ select: userColumns, orderBy: [{ name: "asc" }, { email: "asc" }] });
    return rows.map(toUserSummary);
  },
});

/** Every user with their roles, by name. Never the password hash. */
export function listUsers(actor: Actor): Promise<UserSummary[]> {
  return listUsersOperation(actor, {});
}

const listRolesOperation = defineOperation({
  name: "role.list",
  permission: "user.manage",
  input: empty,
  scope: "global",
  run: async ({ ctx }): Promise<RoleSummary[]> => {
    const rows = await sqlOf(ctx).role.findMany({
      select: {
        id: true,
        key: true,
        name: true,
        description: true,
        builtIn: true,
        globalPermissions: true,
        _count: { select: { users: true } },
      },
      // the built-in roles first, in the order people know them, then custom ones by name
      orderBy: [{ builtIn: "desc" }, { createdAt: "asc" }, { name: "asc" }],
    });
    return rows.map(({ _count, globalPermissions, ...role }) => ({
      ...role,
      globalPermissions: globalPermissions.map(fromDbPermission),
      userCount: _count.users,
    }));
  },
});

export function listRoles(actor: Actor): Promise<RoleSummary[]> {
  return listRolesOperation(actor, {});
}

/** The ids of `keys`; an unknown key is a field error on `field`, not a 404 (it came from a form). */
async function roleIds(tx: Tx, keys: string[], field: string): Promise<string[]> {
  const roles = await tx.role.findMany({ where: { key: { in: keys } }, select: { id: true, key: true } });
  const unknown = keys.filter((k) => !roles.some((r) => r.key === k));
  if (unknown.length)
    throw new ValidationError("Some fields need attention", { [field]: [`Unknown role: ${unknown.join(", ")}`] });
  return roles.map((r) => r.id);
}

async function loadUser(tx: Tx, id: string): Promise<UserSummary> {
  const row = await tx.user.findUnique({ where: { id }, select: userColumns });
  if (!row) throw new NotFoundError("User");
  return toUserSummary(row);
}

/**
 * Refuses a change that would leave no active user able to manage users: nobody could then
 * grant roles or reactivate anyone without database access. Serialised with an advisory lock,
 * so two admins removing each other at the same moment cannot both pass.
 */
async function keepSomeUserManager(tx: Tx): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('greenlight:user.manage'))`;
  const [row] = await tx.$queryRaw<{ ok: boolean }[]>`
    select exists (
      select 1 from "User" u
      join "UserRole" ur on ur."userId" = u.id
      join "Role" r on r.id = ur."roleId"
      where u.active and 'user.manage' = any (r."globalPermissions"::text[])
    ) as ok`;
  if (!row?.ok) throw new ConflictError("At least one active user must keep the user.manage permission");
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

export const createUser = defineOperation({
  name: "user.create",
  permission: "user.manage",
  input: z.object({
    email,
    name: z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters"),
    roles: roleKeys,
    password,
  }),
  scope: "global",
  run: async ({ actor, input, ctx }): Promise<UserSummary> => {
    // hashed before the transaction: scrypt is slow on purpose and must not hold the connection
    const passwordHash = await hashPassword(input.password);
    try {
      return await transaction(ctx, async (tx) => {
        if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } }))
          throw new ConflictError("A user with this email already exists");
        const ids = await roleIds(tx, input.roles, "roles");
        const { id } = await tx.user.create({
          data: {
            email: input.email,
            name: input.name,
            passwordHash,
            roles: { create: ids.map((roleId) => ({ roleId })) },
          },
          select: { id: true },
        });
        await audit(tx, actor, {
          action: "user.create",
          entityType: "User",
          entityId: id,
          after: { email: input.email, name: input.name, roles: input.roles },
        });
        return loadUser(tx, id);
      });
    } catch (e) {
      // the same email created at the same moment by someone else
      if (isUniqueViolation(e)) throw new ConflictError("A user with this email already exists");
      throw e;
    }
  },
});

export const updateUserRoles = defineOperation({
  name: "user.roles.update",
  permission: "user.manage",
  input: z.object({ userId, roleKeys }),
  scope: "global",
  run: ({ actor, input, ctx }): Promise<UserSummary> =>
    transaction(ctx, async (tx) => {
      const user = await loadUser(tx, input.userId);
      const before = user.roles.map((r) => r.key).sort();
      if (before.join() === input.roleKeys.join()) return user;
      const ids = await roleIds(tx, input.roleKeys, "roleKeys");
      await tx.userRole.deleteMany({ where: { userId: user.id, roleId: { notIn: ids } } });
      await tx.userRole.createMany({ data: ids.map((roleId) => ({ userId: user.id, roleId })), skipDuplicates: true });
      await keepSomeUserManager(tx);
      await audit(tx, actor, {
        action: "user.roles.update",
        entityType: "User",
        entityId: user.id,
        before: { roles: before },
        after: { roles: input.roleKeys },
      });
      return loadUser(tx, user.id);
    }),
});

function setActive(name: "user.deactivate" | "user.reactivate", active: boolean) {
  return defineOperation({
    name,
    permission: "user.manage",
    input: z.object({ userId }),
    scope: "global",
    run: ({ actor, input, ctx }): Promise<UserSummary> => {
      if (!active && actor.kind === "user" && actor.id === input.userId)
        throw new ConflictError("You cannot deactivate your own account");
      return transaction(ctx, async (tx) => {
        const user = await loadUser(tx, input.userId);
        // conditional: already in the wanted state (or put there by someone at the same moment),
        // nothing changes, so nothing is recorded
        const { count } = await tx.user.updateMany({ where: { id: user.id, active: !active }, data: { active } });
        if (!count) return { ...user, active };
        if (!active) await keepSomeUserManager(tx);
        await audit(tx, actor, {
          action: name,
          entityType: "User",
          entityId: user.id,
          before: { active: user.active },
          after: { active },
        });
        return { ...user, active };
      });
    },
  });
}

/** Their session stops working at its next request: lib/data/actor.ts refuses inactive users. */
export const deactivateUser = setActive("user.deactivate", false);
export const reactivateUser = setActive("user.reactivate", true);

export const resetUserPassword = defineOperation({
  name: "user.password.reset",
  permission: "user.manage",
  input: z.object({ userId, password }),
  scope: "global",
  run: async ({ actor, input, ctx }): Promise<UserSummary> => {
    const passwordHash = await hashPassword(input.password);
    return transaction(ctx, async (tx) => {
      const user = await loadUser(tx, input.userId);
      await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
      // the record says that it changed, never what to
      await audit(tx, actor, {
        action: "user.password.reset",
        entityType: "User",
        entityId: user.id,
        after: { email: user.email, passwordChanged: true },
      });
      return user;
    });
  },
});

export const createRole = defineOperation({
  name: "role.create",
  permission: "user.manage",
  input: z.object({
    key: z
      .string()
      .trim()
      .regex(
        ROLE_KEY_PATTERN,
        "Use 2 to 40 lower-case letters, digits or underscores, starting with a letter (e.g. release_manager)",
      ),
    name: z.string().trim().min(1, "Enter a name").max(60, "Use at most 60 characters"),
    description: z
      .string()
      .trim()
      .max(200, "Use at most 200 characters")
      .optional()
      .transform((d) => d || null),
  }),
  scope: "global",
  run: async ({ actor, input, ctx }): Promise<RoleSummary> => {
    try {
      return await transaction(ctx, async (tx) => {
        if (await tx.role.findUnique({ where: { key: input.key }, select: { id: true } }))
          throw new ConflictError("A role with this key already exists");
        const role = await tx.role.create({
          data: { key: input.key, name: input.name, description: input.description, builtIn: false },
          select: { id: true, key: true, name: true, description: true, builtIn: true },
        });
        await audit(tx, actor, {
          action: "role.create",
          entityType: "Role",
          entityId: role.id,
          after: { key: role.key, name: role.name, description: role.description },
        });
        return { ...role, globalPermissions: [], userCount: 0 };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError("A role with this key already exists");
      throw e;
    }
  },
});
