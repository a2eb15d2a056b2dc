import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError } from "../errors";
import { revokeUserSessions } from "../identity/sessions";
import { defineOperation } from "../operation";

import { keepSomeUserManager, loadUser, userId, type UserSummary } from "./shared";

// Deactivating and reactivating a user: deactivation ends their sessions (and lib/session.ts
// reads `active` on every request besides), so they are signed out at their next request.

function setActive(name: "user.deactivate" | "user.reactivate", active: boolean) {
  return defineOperation({
    name,
    permission: "user.manage",
    input: z.object({ userId }),
    scope: "global",
    run: ({ actor, input, ctx }): Promise<UserSummary> => {
      if (!active && actor.kind === "user" && actor.id === input.userId)
        throw new ConflictError("You cannot deactivate your own account");
      return transaction(ctx, async (tx) => {
        const user = await loadUser(tx, input.userId);
        // conditional: already in the wanted state (or put there by someone at the same moment),
        // nothing changes, so nothing is recorded
        const { count } = await tx.user.updateMany({ where: { id: user.id, active: !active }, data: { active } });
        if (!count) return { ...user, active };
        if (!active) {
          await keepSomeUserManager(tx);
          await revokeUserSessions(tx, user.id, "deactivated");
        }
        await audit(tx, actor, {
          action: name,
          entityType: "User",
          entityId: user.id,
          before: { active: user.active },
          after: { active },
        });
        return { ...user, active };
      });
    },
  });
}

/** Their session stops working at its next request: lib/data/actor.ts refuses inactive users. */
export const deactivateUser = setActive("user.deactivate", false);
export const reactivateUser = setActive("user.reactivate", true);
