import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { defineOperation } from "../operation";

import { keepSomeUserManager, loadUser, roleIds, roleKeys, userId, type UserSummary } from "./shared";

// A user's roles (user.roles.update): never the last user who can manage users.

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
