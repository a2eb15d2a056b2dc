import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { defineOperation } from "../operation";

// Archiving takes a flag out of service without forgetting it: the evaluation service's snapshot
// (snapshot.ts) leaves archived flags out, so applications get their own default again; its
// states, change requests and history stay, and its key stays taken. Restoring serves it again
// with the states it had. Both are global (flag.manage), need a reason, and are audited.

const flagKey = z.string("Choose a flag").trim().min(1, "Choose a flag").max(100);
const reason = z
  .string("Say why")
  .trim()
  .min(1, "Say why: it is kept in the flag's history")
  .max(500, "Use at most 500 characters");

export interface FlagArchiveResult {
  key: string;
  archivedAt: string | null;
}

export const archiveFlag = defineOperation({
  name: "flag.archive",
  permission: "flag.manage",
  scope: "global",
  input: z.object({ flagKey, reason }),
  run: ({ actor, input, ctx }): Promise<FlagArchiveResult> =>
    transaction(ctx, async (tx) => {
      // only a flag still served moves: of two archivers at once, the second finds nothing to do
      const [row] = await tx.$queryRaw<{ archivedAt: Date }[]>`
        update "FeatureFlag" set "archivedAt" = now()
        where key = ${input.flagKey} and "archivedAt" is null
        returning "archivedAt"`;
      if (!row) {
        const flag = await tx.featureFlag.findUnique({ where: { key: input.flagKey }, select: { id: true } });
        if (!flag) throw new NotFoundError(`Flag "${input.flagKey}"`);
        throw new ConflictError(`Flag "${input.flagKey}" is already archived`);
      }
      const archivedAt = row.archivedAt.toISOString();
      await audit(tx, actor, {
        action: "flag.archive",
        entityType: "FeatureFlag",
        entityId: input.flagKey,
        before: { archivedAt: null },
        after: { archivedAt, reason: input.reason },
      });
      return { key: input.flagKey, archivedAt };
    }),
});

export const restoreFlag = defineOperation({
  name: "flag.restore",
  permission: "flag.manage",
  scope: "global",
  input: z.object({ flagKey, reason }),
  run: ({ actor, input, ctx }): Promise<FlagArchiveResult> =>
    transaction(ctx, async (tx) => {
      const flag = await tx.featureFlag.findUnique({
        where: { key: input.flagKey },
        select: { id: true, archivedAt: true },
      });
      if (!flag) throw new NotFoundError(`Flag "${input.flagKey}"`);
      const restored = await tx.featureFlag.updateMany({
        where: { id: flag.id, archivedAt: { not: null } },
        data: { archivedAt: null },
      });
      if (restored.count === 0 || !flag.archivedAt) throw new ConflictError(`Flag "${input.flagKey}" is not archived`);
      await audit(tx, actor, {
        action: "flag.restore",
        entityType: "FeatureFlag",
        entityId: input.flagKey,
        before: { archivedAt: flag.archivedAt.toISOString() },
        after: { archivedAt: null, reason: input.reason },
      });
      return { key: input.flagKey, archivedAt: null };
    }),
});
