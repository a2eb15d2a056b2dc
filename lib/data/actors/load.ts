import "server-only";
import type { UserActor } from "@/lib/domain/access";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  type EnvironmentPermission,
  type GlobalPermission,
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
  session: { id: string; authenticatedAt: string; secondFactorAt: string | null } | null;
  roles: { key: string; name: string; global: string[] }[];
  cells: { environmentId: string; permissions: string[] }[];
}

const environmentPermissions = new Set<string>(ENVIRONMENT_PERMISSIONS);
const globalPermissions = new Set<string>(GLOBAL_PERMISSIONS);

/**
 * The user, if active. With a session id (every request from a browser), the session must be
 * theirs, open and unexpired, or there is no actor: a signed-out, revoked or expired session
 * stops working at its next request whatever the cookie says.
 */
export async function loadUserActor(userId: string, sessionId?: string): Promise<UserActor | null> {
  const [row] = await db().$queryRaw<ActorRow[]>`
    select u.id, u.email, u.name, u.active,
      (select json_build_object('id', s.id, 'authenticatedAt', s."authenticatedAt", 'secondFactorAt', s."secondFactorAt")
         from "Session" s
        where s.id = ${sessionId ?? null}::uuid and s."userId" = u.id and s."revokedAt" is null and s."expiresAt" > now()) as session,
      coalesce((select json_agg(json_build_object('key', r.key, 'name', r.name, 'global', r."globalPermissions") order by r.name)
                from "UserRole" ur join "Role" r on r.id = ur."roleId" where ur."userId" = u.id), '[]') as roles,
      coalesce((select json_agg(json_build_object('environmentId', ep."environmentId", 'permissions', ep.permissions))
                from "UserRole" ur join "EnvironmentPermission" ep on ep."roleId" = ur."roleId" where ur."userId" = u.id), '[]') as cells
    from "User" u where u.id = ${userId}::uuid`;
  if (!row?.active) return null;
  if (sessionId !== undefined && !row.session) return null;
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
    ...(row.session
      ? {
          session: {
            id: row.session.id,
            // json_build_object renders timestamp(3) without a zone: the database keeps UTC
            authenticatedAt: new Date(`${row.session.authenticatedAt}Z`),
            secondFactorAt: row.session.secondFactorAt ? new Date(`${row.session.secondFactorAt}Z`) : null,
          },
        }
      : {}),
  };
}
