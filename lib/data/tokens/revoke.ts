import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { NotFoundError } from "../errors";
import { defineOperation } from "../operation";

import { toTokenSummary, tokenColumns, type TokenSummary } from "./shared";

// Revoking a token (token.revoke): it stops working at its next request.

export const revokeToken = defineOperation({
  name: "token.revoke",
  permission: "token.manage",
  input: z.object({ tokenId: z.uuid("Choose a token") }),
  scope: "global",
  run: ({ actor, input, ctx }): Promise<TokenSummary> =>
    transaction(ctx, async (tx) => {
      const row = await tx.apiToken.findUnique({ where: { id: input.tokenId }, select: tokenColumns });
      if (!row) throw new NotFoundError("API token");
      const now = new Date();
      // conditional, so that of two revocations at the same moment only one records a change;
      // revoking twice is not an error, and the first revocation's time stands
      const { count } = await tx.apiToken.updateMany({
        where: { id: row.id, revokedAt: null },
        data: { revokedAt: now },
      });
      if (!count) {
        const current = await tx.apiToken.findUniqueOrThrow({ where: { id: row.id }, select: tokenColumns });
        return toTokenSummary(current, now);
      }
      await audit(tx, actor, {
        action: "token.revoke",
        entityType: "ApiToken",
        entityId: row.id,
        before: { name: row.name, prefix: row.prefix, revokedAt: null },
        after: { name: row.name, prefix: row.prefix, revokedAt: now.toISOString() },
      });
      return toTokenSummary({ ...row, revokedAt: now }, now);
    }),
});
