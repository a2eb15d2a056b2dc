import "server-only";
import { z } from "zod";
import { hashPassword } from "@/lib/password";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { revokeUserSessions } from "../identity/sessions";
import { defineOperation } from "../operation";

import { loadUser, password, userId, type UserSummary } from "./shared";

// Setting a user's password (user.password.reset).

export const resetUserPassword = defineOperation({
  name: "user.password.reset",
  permission: "user.manage",
  input: z.object({ userId, password }),
  scope: "global",
  run: async ({ actor, input, ctx }): Promise<UserSummary> => {
    const passwordHash = await hashPassword(input.password);
    return transaction(ctx, async (tx) => {
      const user = await loadUser(tx, input.userId);
      await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
      // whoever knew the old password is signed out (the person resetting their own keeps this session)
      const ended = await revokeUserSessions(
        tx,
        user.id,
        "password reset",
        actor.kind === "user" && actor.id === user.id ? actor.session?.id : undefined,
      );
      // the record says that it changed, never what to
      await audit(tx, actor, {
        action: "user.password.reset",
        entityType: "User",
        entityId: user.id,
        after: { email: user.email, passwordChanged: true, sessionsEnded: ended },
      });
      return user;
    });
  },
});
