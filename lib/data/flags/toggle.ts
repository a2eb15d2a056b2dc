import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { defineOperation } from "../operation";

// Feature flags per environment. Toggling is guarded per environment by flag.toggle: a QA
// engineer may flip flags in staging and still be refused in production.

const key = z.string().trim().min(1).max(100);

export const updateFlagState = defineOperation({
  name: "flag.state.update",
  permission: "flag.toggle",
  input: z.object({
    flagKey: key,
    environmentKey: key,
    enabled: z.boolean(),
    rolloutPercent: z.number().int().min(0).max(100).nullable().optional(),
  }),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }) {
    const environmentId = environment.id;
    return transaction(ctx, async (tx) => {
      const flag = await tx.featureFlag.findUnique({
        where: { key: input.flagKey },
        select: { id: true, key: true, archivedAt: true },
      });
      if (!flag) throw new NotFoundError(`Flag "${input.flagKey}"`);
      if (flag.archivedAt)
        throw new ConflictError(`Flag "${flag.key}" is archived: it is no longer served and cannot be changed`);
      const before = await tx.flagState.findUnique({
        where: { flagId_environmentId: { flagId: flag.id, environmentId } },
        select: { enabled: true, rolloutPercent: true },
      });
      const data = {
        enabled: input.enabled,
        rolloutPercent: input.rolloutPercent === undefined ? (before?.rolloutPercent ?? null) : input.rolloutPercent,
        updatedById: actor.kind === "user" ? actor.id : null,
      };
      const after = await tx.flagState.upsert({
        where: { flagId_environmentId: { flagId: flag.id, environmentId } },
        create: { flagId: flag.id, environmentId, ...data },
        update: data,
        select: { enabled: true, rolloutPercent: true },
      });
      await audit(tx, actor, {
        action: "flag.state.update",
        entityType: "FeatureFlag",
        entityId: flag.key,
        environmentId,
        before: before ?? null,
        after,
      });
      return { flagKey: flag.key, ...after };
    });
  },
});
