import "server-only";
import { z } from "zod";
import { type Actor } from "@/lib/domain/access";
import { sqlOf } from "../context";
import { defineOperation } from "../operation";

import { readEnvironments, toTokenSummary, tokenColumns, type TokenList } from "./shared";

// Every token, for holders of token.manage.

const listTokensOperation = defineOperation({
  name: "token.list",
  permission: "token.manage",
  input: z.object({}).optional(),
  scope: "global",
  run: async ({ ctx }): Promise<TokenList> => {
    const asOf = new Date();
    const [rows, environments] = await Promise.all([
      sqlOf(ctx).apiToken.findMany({ select: tokenColumns, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
      readEnvironments(sqlOf(ctx)),
    ]);
    return { asOf, tokens: rows.map((row) => toTokenSummary(row, asOf)), environments };
  },
});

/** Every token, newest first, with the environments a new one may be limited to. Never a hash. */
export function listTokens(actor: Actor): Promise<TokenList> {
  return listTokensOperation(actor, {});
}
