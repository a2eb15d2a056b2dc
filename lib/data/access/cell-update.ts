import "server-only";
import { z } from "zod";
import {
  ACCESS_LEVELS,
  ENVIRONMENT_PERMISSIONS,
  levelOf,
  permissionsOf,
  type AccessLevel,
  type EnvironmentPermission,
} from "@/lib/domain/permissions";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { environmentByKey } from "../environments/by-key";
import { defineOperation } from "../operation";

import type { MatrixCell } from "./read";
import { canonical, dbPermissions, environmentKey, environmentOrder, findRole, roleKey } from "./shared";

// One role × environment cell (matrix.cell.update): a named level or a custom set.

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
