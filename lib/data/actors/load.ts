import "server-only";
import { createHash } from "node:crypto";
import type { TokenActor, UserActor } from "@/lib/domain/access";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  type EnvironmentPermission,
  type GlobalPermission,
  type Permission,
} from "@/lib/domain/permissions";
import { db } from "../../db";

// Who is asking, from the database: a user with their roles and matrix in ONE query, or an API
// token with its scope. No Next.js imports here, so scripts and benchmarks can use it too;
// lib/data/actor.ts ties it to the request's session.

interface ActorRow {
  id: string;
  email: string;
  name: string | null;
  active: boolean;
  roles: { key: string; name: string; global: string[] }[];
  cells: { environmentId: string; permissions: string[] }[];
}

const environmentPermissions = new Set<string>(ENVIRONMENT_PERMISSIONS);
const globalPermissions = new Set<string>(GLOBAL_PERMISSIONS);

export async function loadUserActor(userId: string): Promise<UserActor | null> {
  const [row] = await db().$queryRaw<ActorRow[]>`
    select u.id, u.email, u.name, u.active,
      coalesce((select json_agg(json_build_object('key', r.key, 'name', r.name, 'global', r."globalPermissions") order by r.name)
                from "UserRole" ur join "Role" r on r.id = ur."roleId" where ur."userId" = u.id), '[]') as roles,
      coalesce((select json_agg(json_build_object('environmentId', ep."environmentId", 'permissions', ep.permissions))
                from "UserRole" ur join "EnvironmentPermission" ep on ep."roleId" = ur."roleId" where ur."userId" = u.id), '[]') as cells
    from "User" u where u.id = ${userId}::uuid`;
  if (!row?.active) return null;
  const global = new Set<GlobalPermission>();
  for (const role of row.roles)
    for (const p of role.global) if (globalPermissions.has(p)) global.add(p as GlobalPermission);
  const byEnvironment = new Map<string, Set<EnvironmentPermission>>();
  for (const cell of row.cells) {
    const set = byEnvironment.get(cell.environmentId) ?? new Set<EnvironmentPermission>();
    for (const p of cell.permissions) if (environmentPermissions.has(p)) set.add(p as EnvironmentPermission);
    byEnvironment.set(cell.environmentId, set);
  }
  return {
    kind: "user",
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles.map(({ key, name }) => ({ key, name })),
    global,
    byEnvironment,
  };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

interface TokenRow {
  id: string;
  name: string;
  permissions: string[];
  environmentIds: string[] | null;
}

/** The API token presented as `Authorization: Bearer …`, if it is valid, unexpired and not revoked. */
export async function tokenActor(authorization: string | null): Promise<TokenActor | null> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return null;
  const [row] = await db().$queryRaw<TokenRow[]>`
    update "ApiToken" t set "lastUsedAt" = now()
    where t."tokenHash" = ${hashToken(token)} and t."revokedAt" is null and (t."expiresAt" is null or t."expiresAt" > now())
    returning t.id, t.name, t.permissions::text[] as permissions,
      (select array_agg(e."B")::text[] from "_ApiTokenToEnvironment" e where e."A" = t.id) as "environmentIds"`;
  if (!row) return null;
  const all = new Set<string>([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS]);
  return {
    kind: "token",
    id: row.id,
    name: row.name,
    permissions: new Set(row.permissions.filter((p) => all.has(p)) as Permission[]),
    environmentIds: row.environmentIds?.length ? new Set(row.environmentIds) : null,
  };
}
