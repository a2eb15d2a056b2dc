import "server-only";
import { z } from "zod";
import { type Permission } from "@/lib/domain/permissions";
import { Prisma } from "@/lib/generated/prisma/client";
import { type Tx } from "../audit/record";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { normalizeEmail } from "../identity/sign-in";

// What the user and role operations share: their shapes, fields and checks. Password hashes
// never leave lib/data/users: reads select columns explicitly.

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
  /** when the person set up an authenticator app as their second factor, if they have */
  secondFactorSince: Date | null;
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

export const userId = z.uuid("Choose a user");
export const email = z
  .string()
  .trim()
  .max(320, "Use at most 320 characters")
  .transform(normalizeEmail)
  .pipe(z.email("Enter a valid email address"));
export const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, "Use at most 1024 characters");
export const roleKeys = z
  .array(z.string().trim().min(1))
  .max(50)
  .transform((keys) => [...new Set(keys)].sort());
export const empty = z.object({}).optional();

export const userColumns = {
  id: true,
  email: true,
  name: true,
  active: true,
  lastSignInAt: true,
  totpEnabledAt: true,
  createdAt: true,
  roles: { select: { role: { select: { key: true, name: true } } } },
} satisfies Prisma.UserSelect;

export type UserRow = Prisma.UserGetPayload<{ select: typeof userColumns }>;

export function toUserSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    active: row.active,
    roles: row.roles.map((r) => r.role).sort((a, b) => a.name.localeCompare(b.name)),
    lastSignInAt: row.lastSignInAt,
    secondFactorSince: row.totpEnabledAt,
    createdAt: row.createdAt,
  };
}

/** The ids of `keys`; an unknown key is a field error on `field`, not a 404 (it came from a form). */
export async function roleIds(tx: Tx, keys: string[], field: string): Promise<string[]> {
  const roles = await tx.role.findMany({ where: { key: { in: keys } }, select: { id: true, key: true } });
  const unknown = keys.filter((k) => !roles.some((r) => r.key === k));
  if (unknown.length)
    throw new ValidationError("Some fields need attention", { [field]: [`Unknown role: ${unknown.join(", ")}`] });
  return roles.map((r) => r.id);
}

export async function loadUser(tx: Tx, id: string): Promise<UserSummary> {
  const row = await tx.user.findUnique({ where: { id }, select: userColumns });
  if (!row) throw new NotFoundError("User");
  return toUserSummary(row);
}

/**
 * Refuses a change that would leave no active user able to manage users: nobody could then
 * grant roles or reactivate anyone without database access. Serialised with an advisory lock,
 * so two admins removing each other at the same moment cannot both pass.
 */
export async function keepSomeUserManager(tx: Tx): Promise<void> {
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

export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}
