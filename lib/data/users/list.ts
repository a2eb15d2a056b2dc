import "server-only";
import type { Actor } from "@/lib/domain/access";
import { fromDbPermission } from "@/lib/domain/permissions";
import { sqlOf } from "../context";
import { defineOperation } from "../operation";

import { empty, toUserSummary, userColumns, type RoleSummary, type UserSummary } from "./shared";

// Every user and every role, for holders of user.manage.

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
