import "server-only";
import { flagChangeNews } from "../notifications/flag-events";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { sendInTransaction } from "@/lib/queue/send";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { authorize } from "../authz";
import { ConflictError, ValidationError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { isoDateTime } from "../input";
import { defineOperation } from "../operation";
import {
  describeState,
  flagKeyInput,
  liveFlag,
  lockedState,
  readableState,
  reasonInput,
  rolloutPercentInput,
  rulesInput,
  sameState,
  toJson,
  writeFlagState,
  type FlagStateValue,
} from "./state";

// Changing a flag in an environment: the one entry point of every write path (the grid, the
// environment page, the API). Guarded by flag.toggle there. Where the environment asks for four
// eyes (flagChangeApprovals > 0, production by default) the change does not apply: it becomes a
// change request (lib/data/flags/change-requests.ts) that others approve. The only way around
// that is a break-glass override, for environment.manage holders, with a reason, on the record.
// A change can also be set for a later time: the durable queue applies it then
// (lib/data/flags/scheduled.ts), if the flag still has the state it was made against.

/** How far ahead a change may be scheduled. */
export const MAX_SCHEDULE_DAYS = 366;

export type FlagChangeOutcome =
  | { outcome: "applied"; flagKey: string; enabled: boolean; rolloutPercent: number | null }
  | { outcome: "requested"; flagKey: string; requestId: string; requiredApprovals: number }
  | { outcome: "scheduled"; flagKey: string; scheduledChangeId: string; runAt: string };

export const updateFlagState = defineOperation({
  name: "flag.state.update",
  permission: "flag.toggle",
  input: z.object({
    flagKey: flagKeyInput,
    environmentKey: flagKeyInput,
    enabled: z.boolean(),
    /** kept as it is when not given */
    rolloutPercent: rolloutPercentInput.optional(),
    /** replaces the rules when given; kept as they are when not */
    rules: rulesInput.optional(),
    /** why: required where the change needs approval, and for an override */
    reason: reasonInput.optional(),
    /** apply at this time instead of now (ISO 8601 with an offset) */
    applyAt: isoDateTime().optional(),
    /** apply now where approval is needed, on the record (environment.manage) */
    breakGlass: z.boolean().optional(),
  }),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }): Promise<FlagChangeOutcome> {
    const runAt = input.applyAt ? new Date(input.applyAt) : null;
    if (runAt && runAt.getTime() <= Date.now())
      throw new ValidationError("Choose a time in the future", { applyAt: ["Choose a time in the future"] });
    if (runAt && runAt.getTime() > Date.now() + MAX_SCHEDULE_DAYS * 86_400_000)
      throw new ValidationError("Choose a time within a year", { applyAt: ["Choose a time within a year"] });
    return transaction(ctx, async (tx) => {
      const { flagChangeApprovals } = await tx.environment.findUniqueOrThrow({
        where: { id: environment.id },
        select: { flagChangeApprovals: true },
      });
      const flag = await liveFlag(tx, input.flagKey);
      const current = await lockedState(tx, flag.id, environment.id);
      const proposed: FlagStateValue = {
        enabled: input.enabled,
        rolloutPercent: input.rolloutPercent === undefined ? current.rolloutPercent : input.rolloutPercent,
        rules: input.rules ?? current.rules,
      };
      const reason = input.reason?.trim() ?? "";
      const needsApproval = flagChangeApprovals > 0;

      if (needsApproval && input.breakGlass) {
        // break glass: environment.manage, a reason, and the override on the record
        await authorize(actor, "environment.manage", environment, "flag.state.override", { tx });
        if (!reason)
          throw new ValidationError("Say why the change cannot wait for approval", {
            reason: ["Say why the change cannot wait for approval: it goes on the record"],
          });
        if (runAt)
          throw new ValidationError("An override applies now", {
            applyAt: ["An override applies now: schedule a change request instead"],
          });
        const { after } = await writeFlagState(tx, actor, { flag, environment, proposed, via: { override: reason } });
        return applied(flag.key, after);
      }

      if (needsApproval) {
        if (!reason)
          throw new ValidationError(`Say why: flag changes in ${environment.name} need approval`, {
            reason: [
              `Say why: flag changes in ${environment.name} need ${flagChangeApprovals} approval${flagChangeApprovals === 1 ? "" : "s"}`,
            ],
          });
        if (sameState(proposed, current))
          throw new ConflictError(`${flag.key} is already ${describeState(current)} in ${environment.name}`);
        const request = await tx.flagChangeRequest.create({
          data: {
            flagId: flag.id,
            environmentId: environment.id,
            enabled: proposed.enabled,
            rolloutPercent: proposed.rolloutPercent,
            rules: proposed.rules as unknown as Prisma.InputJsonValue,
            reason,
            base: toJson(current),
            requiredApprovals: flagChangeApprovals,
            applyAt: runAt,
            authorId: actor.kind === "user" ? actor.id : actor.owner.id,
          },
          select: { id: true },
        });
        await audit(tx, actor, {
          action: "flag.change.request",
          entityType: "FeatureFlag",
          entityId: flag.key,
          environmentId: environment.id,
          before: readableState(current),
          after: {
            ...readableState(proposed),
            changeRequest: request.id,
            reason,
            requiredApprovals: flagChangeApprovals,
            ...(runAt ? { applyAt: runAt.toISOString() } : {}),
          },
        });
        await flagChangeNews(tx, actor, { requestId: request.id, flagKey: flag.key, environment, proposed, reason });
        return {
          outcome: "requested",
          flagKey: flag.key,
          requestId: request.id,
          requiredApprovals: flagChangeApprovals,
        };
      }

      if (runAt) {
        const scheduled = await scheduleFlagChange(tx, {
          flagId: flag.id,
          environmentId: environment.id,
          proposed,
          base: current,
          runAt,
          createdById: actor.kind === "user" ? actor.id : actor.owner.id,
          changeRequestId: null,
        });
        await audit(tx, actor, {
          action: "flag.change.schedule",
          entityType: "FeatureFlag",
          entityId: flag.key,
          environmentId: environment.id,
          before: readableState(current),
          after: {
            ...readableState(proposed),
            scheduledChange: scheduled,
            applyAt: runAt.toISOString(),
            ...(reason ? { reason } : {}),
          },
        });
        return { outcome: "scheduled", flagKey: flag.key, scheduledChangeId: scheduled, runAt: runAt.toISOString() };
      }

      const { after } = await writeFlagState(tx, actor, { flag, environment, proposed });
      return applied(flag.key, after);
    });
  },
});

function applied(flagKey: string, state: FlagStateValue): FlagChangeOutcome {
  return { outcome: "applied", flagKey, enabled: state.enabled, rolloutPercent: state.rolloutPercent };
}

/** Records a change for later and its job (same transaction: both or neither). */
export async function scheduleFlagChange(
  tx: Prisma.TransactionClient,
  change: {
    flagId: string;
    environmentId: string;
    proposed: FlagStateValue;
    base: FlagStateValue;
    runAt: Date;
    createdById: string | null;
    changeRequestId: string | null;
  },
): Promise<string> {
  const row = await tx.scheduledFlagChange.create({
    data: {
      flagId: change.flagId,
      environmentId: change.environmentId,
      enabled: change.proposed.enabled,
      rolloutPercent: change.proposed.rolloutPercent,
      rules: change.proposed.rules as unknown as Prisma.InputJsonValue,
      base: toJson(change.base),
      runAt: change.runAt,
      createdById: change.createdById,
      changeRequestId: change.changeRequestId,
    },
    select: { id: true },
  });
  await sendInTransaction(
    tx,
    "flagChange",
    { scheduledChangeId: row.id },
    { startAfter: change.runAt, singletonKey: `flag-change:${row.id}` },
  );
  return row.id;
}
