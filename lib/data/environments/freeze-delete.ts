import "server-only";
import { promoteWhatNowPasses } from "../promotion/auto-promote";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { NotFoundError } from "../errors";
import { environmentByKey } from "./by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";

import { freezeAudit, freezeColumns, toFreezeSummary } from "./settings-shared";

// Removing a freeze window (freeze.delete).

const freezeDeleteInput = z.object({ environmentKey, freezeId: z.uuid("Choose a freeze window") });

export const deleteFreezeWindow = defineOperation({
  name: "freeze.delete",
  permission: "environment.manage",
  input: freezeDeleteInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: async ({ actor, input, environment, ctx }): Promise<{ id: string }> => {
    const env = environment;
    const deleted = await transaction(ctx, async (tx) => {
      const [row] = await tx.$queryRaw<{ id: string }[]>`
        select id from "FreezeWindow"
        where id = ${input.freezeId}::uuid and "environmentId" = ${env.id}::uuid for update`;
      // a window of another environment is as unknown as one that never existed
      if (!row) throw new NotFoundError("Freeze window");
      const window = await tx.freezeWindow.delete({ where: { id: row.id }, select: freezeColumns });
      await audit(tx, actor, {
        action: "freeze.delete",
        entityType: "FreezeWindow",
        entityId: row.id,
        environmentId: env.id,
        before: freezeAudit(toFreezeSummary(window)),
      });
      return { id: row.id };
    });
    // the window removed may have been all that held a candidate of a stage that promotes automatically
    await promoteWhatNowPasses(ctx, env.id);
    return deleted;
  },
});
