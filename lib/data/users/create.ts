import "server-only";
import { z } from "zod";
import { hashPassword } from "@/lib/password";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError } from "../errors";
import { defineOperation } from "../operation";

import { email, isUniqueViolation, loadUser, password, roleIds, roleKeys, type UserSummary } from "./shared";

// A new built-in user (user.create).

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
