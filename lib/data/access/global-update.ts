import "server-only";
import { z } from "zod";
import { GLOBAL_PERMISSIONS, type GlobalPermission } from "@/lib/domain/permissions";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { defineOperation } from "../operation";

import { canonical, dbPermissions, globalOrder, roleKey } from "./shared";

// A role's global permissions (matrix.role.global.update), never locking everyone out.

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
