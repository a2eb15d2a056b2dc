import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { defineOperation } from "../operation";
import { loadUser, userId, type UserSummary } from "./shared";

// Resetting a person's second factor (user.second_factor.reset), for someone who lost their
// phone and their recovery codes: the authenticator secret and the codes are gone, and the
// person sets a new one up. Sessions stay: what they passed before still counts until it ages.

export const resetSecondFactor = defineOperation({
  name: "user.second_factor.reset",
  permission: "user.manage",
  input: z.object({ userId }),
  scope: "global",
  run: ({ actor, input, ctx }): Promise<UserSummary> =>
    transaction(ctx, async (tx) => {
      const user = await loadUser(tx, input.userId);
      // conditional: of two resets at the same moment only one records a change
      const { count } = await tx.user.updateMany({
        where: { id: user.id, OR: [{ totpSecret: { not: null } }, { totpEnabledAt: { not: null } }] },
        data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
      });
      const codes = await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
      if (count || codes.count)
        await audit(tx, actor, {
          action: "user.second_factor.reset",
          entityType: "User",
          entityId: user.id,
          before: { enrolled: user.secondFactorSince !== null },
          after: { email: user.email, name: user.name, enrolled: false },
        });
      return { ...user, secondFactorSince: null };
    }),
});
