import "server-only";
import { createHash } from "node:crypto";
import type { TokenActor } from "@/lib/domain/access";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  type EnvironmentPermission,
  type GlobalPermission,
  type Permission,
} from "@/lib/domain/permissions";
import { db } from "../../db";

// An API token presented as `Authorization: Bearer …`, resolved to the actor it acts as. A
// token never does more than its owner can do now: the same statement that finds the token
// loads its owner's status and current rights (their roles' global permissions and matrix
// cells, the shape of lib/data/actors/load.ts), and `can` (lib/domain/access.ts) intersects
// them with the token's own scope on every check. A deactivated or deleted owner, like a
// revoked or expired token, resolves to no actor at all, and the request is not counted as a
// use (lastUsedAt stays).

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

interface OwnerJson {
  id: string;
  label: string;
  active: boolean;
  global: string[];
  cells: { environmentId: string; permissions: string[] }[];
}

interface TokenRow {
  id: string;
  name: string;
  permissions: string[];
  environmentIds: string[] | null;
  revoked: boolean;
  expired: boolean;
  owner: OwnerJson | null;
}

/** A token that resolved, or why it did not (null: no token, or none with that secret). */
export type TokenResolution = { actor: TokenActor; refusal: null } | { actor: null; refusal: string | null };

const allPermissions = new Set<string>([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS]);
const environmentPermissions = new Set<string>(ENVIRONMENT_PERMISSIONS);
const globalPermissions = new Set<string>(GLOBAL_PERMISSIONS);

export const TOKEN_REFUSALS = {
  revoked: "This token was revoked",
  expired: "This token has expired",
  ownerDeleted:
    "This token's owner was deleted. A token never does more than its owner can do now: create a new token.",
  ownerDeactivated: (label: string) =>
    `This token's owner ${label} is deactivated. A token never does more than its owner can do now: reactivate them or create a new token.`,
} as const;

/** The token presented as `Authorization: Bearer …` and what it acts as, or why it is refused. */
export async function resolveToken(authorization: string | null): Promise<TokenResolution> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return { actor: null, refusal: null };
  // one statement: the token, its owner as they are now, and (only for a token that is
  // accepted) the lastUsedAt stamp; every part sees the same snapshot
  const [row] = await db().$queryRaw<TokenRow[]>`
    with found as (
      select t.id, t.name, t.permissions::text[] as permissions, t."ownerId",
        t."revokedAt" is not null as revoked,
        (t."expiresAt" is not null and t."expiresAt" <= now()) as expired,
        (select array_agg(e."B")::text[] from "_ApiTokenToEnvironment" e where e."A" = t.id) as "environmentIds"
      from "ApiToken" t where t."tokenHash" = ${hashToken(token)}
    ), owner as (
      select u.id, u.active, json_build_object(
        'id', u.id, 'label', coalesce(u.name, u.email), 'active', u.active,
        'global', coalesce((select json_agg(distinct g) from "UserRole" ur join "Role" r on r.id = ur."roleId"
                            cross join unnest(r."globalPermissions") g where ur."userId" = u.id), '[]'),
        'cells', coalesce((select json_agg(json_build_object('environmentId', ep."environmentId", 'permissions', ep.permissions))
                           from "UserRole" ur join "EnvironmentPermission" ep on ep."roleId" = ur."roleId"
                           where ur."userId" = u.id), '[]')) as json
      from "User" u where u.id = (select "ownerId" from found)
    ), used as (
      update "ApiToken" t set "lastUsedAt" = now()
      from found f, owner o
      where t.id = f.id and not f.revoked and not f.expired and o.active
      returning t.id
    )
    select f.id, f.name, f.permissions, f."environmentIds", f.revoked, f.expired, o.json as owner
    from found f left join owner o on true`;
  if (!row) return { actor: null, refusal: null };
  if (row.revoked) return { actor: null, refusal: TOKEN_REFUSALS.revoked };
  if (row.expired) return { actor: null, refusal: TOKEN_REFUSALS.expired };
  if (!row.owner) return { actor: null, refusal: TOKEN_REFUSALS.ownerDeleted };
  if (!row.owner.active) return { actor: null, refusal: TOKEN_REFUSALS.ownerDeactivated(row.owner.label) };

  const byEnvironment = new Map<string, Set<EnvironmentPermission>>();
  for (const cell of row.owner.cells) {
    const set = byEnvironment.get(cell.environmentId) ?? new Set<EnvironmentPermission>();
    for (const p of cell.permissions) if (environmentPermissions.has(p)) set.add(p as EnvironmentPermission);
    byEnvironment.set(cell.environmentId, set);
  }
  return {
    refusal: null,
    actor: {
      kind: "token",
      id: row.id,
      name: row.name,
      permissions: new Set(row.permissions.filter((p) => allPermissions.has(p)) as Permission[]),
      environmentIds: row.environmentIds?.length ? new Set(row.environmentIds) : null,
      owner: {
        id: row.owner.id,
        label: row.owner.label,
        global: new Set(row.owner.global.filter((p) => globalPermissions.has(p)) as GlobalPermission[]),
        byEnvironment,
      },
    },
  };
}

/** The API token presented as `Authorization: Bearer …`, if it is valid, unexpired, not revoked and its owner active. */
export async function tokenActor(authorization: string | null): Promise<TokenActor | null> {
  return (await resolveToken(authorization)).actor;
}
