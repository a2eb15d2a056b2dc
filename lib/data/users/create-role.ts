import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError } from "../errors";
import { defineOperation } from "../operation";

import { isUniqueViolation, ROLE_KEY_PATTERN, type RoleSummary } from "./shared";

// A custom role (role.create); the access matrix gives it permissions.

export const createRole = defineOperation({
  name: "role.create",
  permission: "user.manage",
  input: z.object({
    key: z
      .string()
      .trim()
      .regex(
        ROLE_KEY_PATTERN,
        "Use 2 to 40 lower-case letters, digits or underscores, starting with a letter (e.g. release_manager)",
      ),
    name: z.string().trim().min(1, "Enter a name").max(60, "Use at most 60 characters"),
    description: z
      .string()
      .trim()
      .max(200, "Use at most 200 characters")
      .optional()
      .transform((d) => d || null),
  }),
  scope: "global",
  run: async ({ actor, input, ctx }): Promise<RoleSummary> => {
    try {
      return await transaction(ctx, async (tx) => {
        if (await tx.role.findUnique({ where: { key: input.key }, select: { id: true } }))
          throw new ConflictError("A role with this key already exists");
        const role = await tx.role.create({
          data: { key: input.key, name: input.name, description: input.description, builtIn: false },
          select: { id: true, key: true, name: true, description: true, builtIn: true },
        });
        await audit(tx, actor, {
          action: "role.create",
          entityType: "Role",
          entityId: role.id,
          after: { key: role.key, name: role.name, description: role.description },
        });
        return { ...role, globalPermissions: [], userCount: 0 };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError("A role with this key already exists");
      throw e;
    }
  },
});
