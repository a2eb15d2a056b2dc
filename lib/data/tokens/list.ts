import "server-only";
import { z } from "zod";
import { type Actor, type Rights } from "@/lib/domain/access";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  fromDbPermission,
  type EnvironmentPermission,
  type GlobalPermission,
} from "@/lib/domain/permissions";
import { tokenPower, type OwnerNow } from "@/lib/domain/token-power";
import { sqlOf } from "../context";
import { defineOperation } from "../operation";

import { readEnvironments, toTokenSummary, tokenColumns, type TokenList, type TokenRow } from "./shared";

// Every token, for holders of token.manage, with what its owner still backs. Four statements
// whatever the number of tokens: the tokens, the environments, every role with its matrix
// cells, and per token its owner's roles now and when the token was made (the first change of
// their roles recorded since then: the audit trail keeps the roles before each change).

interface RoleFacts {
  tokenId: string;
  rolesNow: string[];
  /** the owner's role keys before the first change after the token was made; null: unchanged since */
  rolesThen: unknown;
}

const environmentPermissions = new Set<string>(ENVIRONMENT_PERMISSIONS);
const globalPermissions = new Set<string>(GLOBAL_PERMISSIONS);

function rightsOf(
  roles: { globalPermissions: string[]; permissions: { environmentId: string; permissions: string[] }[] }[],
): Rights {
  const global = new Set<GlobalPermission>();
  const byEnvironment = new Map<string, Set<EnvironmentPermission>>();
  for (const role of roles) {
    for (const p of role.globalPermissions.map(fromDbPermission))
      if (globalPermissions.has(p)) global.add(p as GlobalPermission);
    for (const cell of role.permissions) {
      const set = byEnvironment.get(cell.environmentId) ?? new Set<EnvironmentPermission>();
      for (const p of cell.permissions.map(fromDbPermission))
        if (environmentPermissions.has(p)) set.add(p as EnvironmentPermission);
      byEnvironment.set(cell.environmentId, set);
    }
  }
  return { global, byEnvironment };
}

const keysOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((k): k is string => typeof k === "string") : [];

const listTokensOperation = defineOperation({
  name: "token.list",
  permission: "token.manage",
  input: z.object({}).optional(),
  scope: "global",
  run: async ({ ctx }): Promise<TokenList> => {
    const asOf = new Date();
    const sql = sqlOf(ctx);
    const [rows, environments, roles, facts] = await Promise.all([
      sql.apiToken.findMany({ select: tokenColumns, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
      readEnvironments(sql),
      sql.role.findMany({
        select: {
          key: true,
          name: true,
          globalPermissions: true,
          permissions: { select: { environmentId: true, permissions: true } },
        },
      }),
      sql.$queryRaw<RoleFacts[]>`
        select t.id as "tokenId",
          array(select r.key from "UserRole" ur join "Role" r on r.id = ur."roleId" where ur."userId" = t."ownerId") as "rolesNow",
          (select e.before -> 'roles' from "AuditEvent" e
            where e.action = 'user.roles.update' and e."entityType" = 'User' and e."entityId" = t."ownerId"::text
              and e.at >= t."createdAt"
            order by e.at asc limit 1) as "rolesThen"
        from "ApiToken" t where t."ownerId" is not null`,
    ]);
    const roleByKey = new Map(roles.map((r) => [r.key, r]));
    const factsOf = new Map(facts.map((f) => [f.tokenId, f]));

    const ownerNow = (row: TokenRow): OwnerNow | null => {
      const fact = factsOf.get(row.id);
      if (!row.owner || !fact) return null;
      const held = fact.rolesNow.flatMap((key) => roleByKey.get(key) ?? []);
      const removed = keysOf(fact.rolesThen)
        .filter((key) => !fact.rolesNow.includes(key))
        .flatMap((key) => roleByKey.get(key) ?? []);
      return {
        label: row.owner.name ?? row.owner.email,
        active: row.owner.active,
        rights: rightsOf(held),
        removedRoles: removed.map((role) => ({ name: role.name, rights: rightsOf([role]) })),
      };
    };

    const tokens = rows.map((row) => {
      const power = tokenPower(
        {
          permissions: row.permissions.map(fromDbPermission),
          environmentIds: row.environments.length ? row.environments.map((e) => e.id) : null,
        },
        ownerNow(row),
        environments,
      );
      return toTokenSummary(row, asOf, power);
    });
    return { asOf, tokens, environments };
  },
});

/** Every token, newest first, with the environments a new one may be limited to. Never a hash. */
export function listTokens(actor: Actor): Promise<TokenList> {
  return listTokensOperation(actor, {});
}
