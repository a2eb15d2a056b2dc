import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../../db";
import { transaction, type Sql, type Tx } from "../context";
import { audit } from "../audit/record";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { isoDateTime } from "../input";
import { cache } from "react";
import { defineOperation, type OperationEnvironment } from "../operation";
import { pendingWork } from "../promotion/my-work";
import {
  describeState,
  environmentOfFlagChange,
  lockedState,
  readableState,
  reasonInput,
  rolloutPercentInput,
  rulesInput,
  sameState,
  StaleFlagChange,
  stateOf,
  toJson,
  writeFlagState,
  type FlagStateValue,
} from "./state";
import { MAX_SCHEDULE_DAYS, scheduleFlagChange } from "./toggle";

// Four eyes on flag changes. A change request holds the proposed state, its reason, its author,
// the state it was made against (base) and the approvals its environment required when it was
// made. People with flag.approve there approve or reject; the author never counts (nor does a
// token: approvals are people's). The approval that reaches the count applies the change in the
// same transaction — or, when the request names a time, schedules it — after checking the base:
// if the flag changed meanwhile, the request is marked stale (committed) and the approver gets a
// 409 that shows both states. Editing a request withdraws its approvals. The request row is
// locked first, so two approvals at once apply the change exactly once.

const requestId = z.string().trim().min(1).max(100);
/** The environment a request acts in; a malformed or unknown id is a 404. */
const requestEnvironment = (sql: Sql, id: string) =>
  environmentOfFlagChange(sql, "FlagChangeRequest", id, "Change request");

interface LockedRequest {
  id: string;
  flagId: string;
  flagKey: string;
  flagArchived: boolean;
  environmentId: string;
  status: string;
  authorId: string | null;
  enabled: boolean;
  rolloutPercent: number | null;
  rules: unknown;
  base: unknown;
  reason: string;
  requiredApprovals: number;
  applyAt: Date | null;
}

async function lockRequest(tx: Tx, id: string): Promise<LockedRequest> {
  const [row] = await tx.$queryRaw<LockedRequest[]>`
    select r.id, r."flagId", f.key as "flagKey", f."archivedAt" is not null as "flagArchived", r."environmentId",
      r.status::text as status, r."authorId", r.enabled, r."rolloutPercent", r.rules, r.base, r.reason,
      r."requiredApprovals", r."applyAt"
    from "FlagChangeRequest" r join "FeatureFlag" f on f.id = r."flagId"
    where r.id = ${id}::uuid
    for update of r`;
  if (!row) throw new NotFoundError("Change request");
  return row;
}

const proposedOf = (r: Pick<LockedRequest, "enabled" | "rolloutPercent" | "rules">): FlagStateValue =>
  stateOf({ enabled: r.enabled, rolloutPercent: r.rolloutPercent, rules: r.rules });

function requirePending(r: LockedRequest): void {
  if (r.status !== "pending")
    throw new ConflictError(`This change request is ${r.status} already: only a pending request can change`);
}

/** The author's own decision never counts; nor does a token's (approvals are people's). */
function refuseAuthorOrToken(
  actor: Actor,
  r: LockedRequest,
  environment: OperationEnvironment,
  attempted: string,
  what: string,
): void {
  const authorAgain = actor.kind === "user" ? actor.id === r.authorId : actor.owner.id === r.authorId;
  if (actor.kind === "user" && !authorAgain) return;
  const message =
    actor.kind === "token"
      ? `Only a person can ${what} a flag change: an API token cannot`
      : `You proposed this change: someone else must ${what} it`;
  throw new ForbiddenError(message, {
    actor,
    permission: "flag.approve",
    environment,
    attempted,
    reason: actor.kind === "token" ? "a token cannot decide on a flag change" : "the author of the change request",
  });
}

/** Outcomes of a decision that reached the required count. */
export type DecisionOutcome =
  | { outcome: "pending"; approvals: number; requiredApprovals: number }
  | { outcome: "applied" }
  | { outcome: "scheduled"; scheduledChangeId: string; runAt: string }
  | { outcome: "rejected" };

export const approveFlagChange = defineOperation({
  name: "flag.change.approve",
  permission: "flag.approve",
  input: z.object({ requestId, comment: reasonInput.optional() }),
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => requestEnvironment(sql, input.requestId),
  async run({ actor, input, environment, ctx }): Promise<DecisionOutcome> {
    // a stale request is marked in a transaction that commits; the 409 is thrown after it
    const marked: { stale: StaleFlagChange | null } = { stale: null };
    const result = await transaction(ctx, async (tx): Promise<DecisionOutcome> => {
      const request = await lockRequest(tx, input.requestId);
      refuseAuthorOrToken(actor, request, environment, "flag.change.approve", "approve");
      requirePending(request);
      if (request.flagArchived) throw new ConflictError(`Flag "${request.flagKey}" is archived: it cannot change`);
      const userId = (actor as { id: string }).id;
      const comment = input.comment?.trim() || null;
      await tx.flagChangeDecision.upsert({
        where: { requestId_userId: { requestId: request.id, userId } },
        create: { requestId: request.id, userId, decision: "APPROVE", comment },
        update: { decision: "APPROVE", comment, createdAt: new Date() },
      });
      const approvals = await tx.flagChangeDecision.count({
        where: { requestId: request.id, decision: "APPROVE", userId: { not: request.authorId ?? undefined } },
      });
      await audit(tx, actor, {
        action: "flag.change.approve",
        entityType: "FeatureFlag",
        entityId: request.flagKey,
        environmentId: environment.id,
        after: { changeRequest: request.id, approvals, requiredApprovals: request.requiredApprovals, comment },
      });
      if (approvals < request.requiredApprovals)
        return { outcome: "pending", approvals, requiredApprovals: request.requiredApprovals };

      const proposed = proposedOf(request);
      const base = stateOf(request.base);
      const flag = { id: request.flagId, key: request.flagKey };
      if (request.applyAt && request.applyAt.getTime() > Date.now()) {
        const current = await lockedState(tx, flag.id, environment.id);
        if (!sameState(current, base)) {
          marked.stale = new StaleFlagChange(flag.key, environment.name, base, current, proposed);
          await markStale(tx, request, flag.key, environment.id, current, base);
          return { outcome: "pending", approvals, requiredApprovals: request.requiredApprovals };
        }
        const scheduledChangeId = await scheduleFlagChange(tx, {
          flagId: flag.id,
          environmentId: environment.id,
          proposed,
          base,
          runAt: request.applyAt,
          createdById: request.authorId,
          changeRequestId: request.id,
        });
        await tx.flagChangeRequest.update({ where: { id: request.id }, data: { status: "SCHEDULED" } });
        await audit(tx, actor, {
          action: "flag.change.schedule",
          entityType: "FeatureFlag",
          entityId: flag.key,
          environmentId: environment.id,
          before: readableState(base),
          after: {
            ...readableState(proposed),
            changeRequest: request.id,
            scheduledChange: scheduledChangeId,
            applyAt: request.applyAt.toISOString(),
          },
        });
        return { outcome: "scheduled", scheduledChangeId, runAt: request.applyAt.toISOString() };
      }
      try {
        await writeFlagState(tx, actor, { flag, environment, proposed, base, via: { changeRequest: request.id } });
      } catch (e) {
        if (!(e instanceof StaleFlagChange)) throw e;
        // nothing was written: the check comes before the write
        marked.stale = e;
        await markStale(tx, request, flag.key, environment.id, e.current, base);
        return { outcome: "pending", approvals, requiredApprovals: request.requiredApprovals };
      }
      await tx.flagChangeRequest.update({
        where: { id: request.id },
        data: { status: "APPLIED", closedAt: new Date() },
      });
      return { outcome: "applied" };
    });
    if (marked.stale) throw marked.stale;
    return result;
  },
});

async function markStale(
  tx: Tx,
  request: LockedRequest,
  flagKey: string,
  environmentId: string,
  current: FlagStateValue,
  base: FlagStateValue,
): Promise<void> {
  const outcome = `The flag changed after the request was made: it was ${describeState(base)}, it is ${describeState(current)}`;
  await tx.flagChangeRequest.update({
    where: { id: request.id },
    data: { status: "STALE", closedAt: new Date(), outcome },
  });
  await audit(tx, null, {
    action: "flag.change.stale",
    entityType: "FeatureFlag",
    entityId: flagKey,
    environmentId,
    before: readableState(base),
    after: { ...readableState(current), changeRequest: request.id },
  });
}

export const rejectFlagChange = defineOperation({
  name: "flag.change.reject",
  permission: "flag.approve",
  input: z.object({
    requestId,
    comment: reasonInput.min(1, "Say why you reject it: the author reads it"),
  }),
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => requestEnvironment(sql, input.requestId),
  async run({ actor, input, environment, ctx }): Promise<DecisionOutcome> {
    return transaction(ctx, async (tx) => {
      const request = await lockRequest(tx, input.requestId);
      refuseAuthorOrToken(actor, request, environment, "flag.change.reject", "reject");
      requirePending(request);
      const userId = (actor as { id: string }).id;
      await tx.flagChangeDecision.upsert({
        where: { requestId_userId: { requestId: request.id, userId } },
        create: { requestId: request.id, userId, decision: "REJECT", comment: input.comment },
        update: { decision: "REJECT", comment: input.comment, createdAt: new Date() },
      });
      await tx.flagChangeRequest.update({
        where: { id: request.id },
        data: { status: "REJECTED", closedAt: new Date(), outcome: input.comment },
      });
      await audit(tx, actor, {
        action: "flag.change.reject",
        entityType: "FeatureFlag",
        entityId: request.flagKey,
        environmentId: environment.id,
        after: { changeRequest: request.id, comment: input.comment },
      });
      return { outcome: "rejected" as const };
    });
  },
});

/** Only the author edits or withdraws a request (with flag.toggle there, checked first). */
function requireAuthor(actor: Actor, r: LockedRequest, environment: OperationEnvironment, attempted: string): void {
  // a token acts for its owner: the owner's token may change the owner's request
  const userId = actor.kind === "user" ? actor.id : actor.owner.id;
  if (userId === r.authorId) return;
  throw new ForbiddenError("Only the author of a change request may change or withdraw it", {
    actor,
    permission: "flag.toggle",
    environment,
    attempted,
    reason: "not the author of the change request",
  });
}

export const editFlagChange = defineOperation({
  name: "flag.change.edit",
  permission: "flag.toggle",
  input: z.object({
    requestId,
    enabled: z.boolean(),
    rolloutPercent: rolloutPercentInput.optional(),
    rules: rulesInput.optional(),
    reason: reasonInput.min(1, "Say why: the approvers read it"),
    applyAt: isoDateTime().nullable().optional(),
  }),
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => requestEnvironment(sql, input.requestId),
  async run({ actor, input, environment, ctx }) {
    const runAt = input.applyAt ? new Date(input.applyAt) : null;
    if (runAt && runAt.getTime() <= Date.now())
      throw new ValidationError("Choose a time in the future", { applyAt: ["Choose a time in the future"] });
    if (runAt && runAt.getTime() > Date.now() + MAX_SCHEDULE_DAYS * 86_400_000)
      throw new ValidationError("Choose a time within a year", { applyAt: ["Choose a time within a year"] });
    return transaction(ctx, async (tx) => {
      const request = await lockRequest(tx, input.requestId);
      requireAuthor(actor, request, environment, "flag.change.edit");
      requirePending(request);
      if (request.flagArchived) throw new ConflictError(`Flag "${request.flagKey}" is archived: it cannot change`);
      const before = proposedOf(request);
      const proposed: FlagStateValue = {
        enabled: input.enabled,
        rolloutPercent: input.rolloutPercent === undefined ? before.rolloutPercent : input.rolloutPercent,
        rules: input.rules ?? before.rules,
      };
      // made again against the state the flag has now, under the environment's rule of now
      const current = await lockedState(tx, request.flagId, environment.id);
      if (sameState(proposed, current))
        throw new ConflictError(`${request.flagKey} is already ${describeState(current)} in ${environment.name}`);
      const { flagChangeApprovals } = await tx.environment.findUniqueOrThrow({
        where: { id: environment.id },
        select: { flagChangeApprovals: true },
      });
      const withdrawn = await tx.flagChangeDecision.deleteMany({ where: { requestId: request.id } });
      await tx.flagChangeRequest.update({
        where: { id: request.id },
        data: {
          enabled: proposed.enabled,
          rolloutPercent: proposed.rolloutPercent,
          rules: proposed.rules as unknown as Prisma.InputJsonValue,
          reason: input.reason,
          base: toJson(current),
          requiredApprovals: Math.max(1, flagChangeApprovals),
          applyAt: input.applyAt === undefined ? request.applyAt : runAt,
        },
      });
      await audit(tx, actor, {
        action: "flag.change.edit",
        entityType: "FeatureFlag",
        entityId: request.flagKey,
        environmentId: environment.id,
        before: { ...readableState(before), reason: request.reason },
        after: {
          ...readableState(proposed),
          reason: input.reason,
          changeRequest: request.id,
          approvalsWithdrawn: withdrawn.count,
        },
      });
      return { requestId: request.id, approvalsWithdrawn: withdrawn.count };
    });
  },
});

export const withdrawFlagChange = defineOperation({
  name: "flag.change.withdraw",
  permission: "flag.toggle",
  input: z.object({ requestId }),
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => requestEnvironment(sql, input.requestId),
  async run({ actor, input, environment, ctx }) {
    return transaction(ctx, async (tx) => {
      const request = await lockRequest(tx, input.requestId);
      requireAuthor(actor, request, environment, "flag.change.withdraw");
      if (request.status !== "pending" && request.status !== "scheduled")
        throw new ConflictError(`This change request is ${request.status} already: there is nothing to withdraw`);
      await tx.flagChangeRequest.update({
        where: { id: request.id },
        data: { status: "WITHDRAWN", closedAt: new Date(), outcome: "Withdrawn by its author" },
      });
      // an approved request waiting for its time goes with its scheduled change
      await tx.scheduledFlagChange.updateMany({
        where: { changeRequestId: request.id, status: "PENDING" },
        data: { status: "CANCELLED", failure: "Its change request was withdrawn" },
      });
      await audit(tx, actor, {
        action: "flag.change.withdraw",
        entityType: "FeatureFlag",
        entityId: request.flagKey,
        environmentId: environment.id,
        after: { changeRequest: request.id },
      });
      return { requestId: request.id };
    });
  },
});

// ─── reading them ────────────────────────────────────────────────────────────────────────────

export interface FlagChangeRequestView {
  id: string;
  flagKey: string;
  flagName: string;
  environmentKey: string;
  environmentName: string;
  status: "pending" | "scheduled" | "applied" | "rejected" | "stale" | "withdrawn";
  proposed: FlagStateValue;
  base: FlagStateValue;
  /** the flag no longer has the base state: approving it will fail (409) */
  baseMoved: boolean;
  reason: string;
  authorLabel: string;
  mine: boolean;
  requiredApprovals: number;
  approvals: { label: string; comment: string | null }[];
  rejection: { label: string; comment: string | null } | null;
  applyAt: string | null;
  createdAt: string;
  closedAt: string | null;
  outcome: string | null;
  /** the viewer may approve or reject it (flag.approve there, not the author, not decided yet) */
  canDecide: boolean;
  /** the viewer wrote it and may edit or withdraw it */
  canWithdraw: boolean;
}

interface Row {
  id: string;
  flagKey: string;
  flagName: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  status: FlagChangeRequestView["status"];
  enabled: boolean;
  rolloutPercent: number | null;
  rules: unknown;
  base: unknown;
  reason: string;
  authorId: string | null;
  authorLabel: string | null;
  requiredApprovals: number;
  applyAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  outcome: string | null;
  currentEnabled: boolean | null;
  currentPercent: number | null;
  currentRules: unknown;
  decisions: { userId: string; label: string; decision: "approve" | "reject"; comment: string | null }[];
}

/**
 * Change requests in the environments the viewer may see: every open one, and those closed in
 * the last `closedDays` days, newest first; optionally one flag's only (the flag's page). One
 * statement.
 */
export async function readFlagChangeRequests(
  actor: Actor,
  options: { flagKey?: string; closedDays?: number; limit?: number } = {},
  sql: Sql = db(),
): Promise<FlagChangeRequestView[]> {
  const environments = await sql.$queryRaw<{ id: string }[]>`select id from "Environment"`;
  const visible = environments.map((e) => e.id).filter((id) => can(actor, "environment.view", id));
  if (visible.length === 0) return [];
  const closedSince = new Date(Date.now() - (options.closedDays ?? 7) * 86_400_000);
  const rows = await sql.$queryRaw<Row[]>`
    select r.id, f.key as "flagKey", f.name as "flagName", e.id as "environmentId", e.key as "environmentKey",
      e.name as "environmentName", r.status::text as status, r.enabled, r."rolloutPercent", r.rules, r.base, r.reason,
      r."authorId", coalesce(u.name, u.email) as "authorLabel", r."requiredApprovals", r."applyAt", r."createdAt",
      r."closedAt", r.outcome,
      s.enabled as "currentEnabled", s."rolloutPercent" as "currentPercent", s.rules as "currentRules",
      coalesce((
        select json_agg(json_build_object('userId', d."userId", 'label', coalesce(du.name, du.email),
          'decision', d.decision::text, 'comment', d.comment) order by d."createdAt")
        from "FlagChangeDecision" d join "User" du on du.id = d."userId" where d."requestId" = r.id
      ), '[]'::json) as decisions
    from "FlagChangeRequest" r
    join "FeatureFlag" f on f.id = r."flagId"
    join "Environment" e on e.id = r."environmentId"
    left join "User" u on u.id = r."authorId"
    left join "FlagState" s on s."flagId" = r."flagId" and s."environmentId" = r."environmentId"
    where r."environmentId" = any(${visible}::uuid[])
      and (r.status in ('pending', 'scheduled') or r."closedAt" >= ${closedSince})
      and (${options.flagKey ?? null}::text is null or f.key = ${options.flagKey ?? null}::text)
    order by (r.status in ('pending', 'scheduled')) desc, r."createdAt" desc, r.id
    limit ${options.limit ?? 200}`;
  const userId = actor.kind === "user" ? actor.id : null;
  return rows.map((r) => {
    const base = stateOf(r.base);
    const current =
      r.currentEnabled === null
        ? stateOf(null)
        : stateOf({ enabled: r.currentEnabled, rolloutPercent: r.currentPercent, rules: r.currentRules });
    const approvals = r.decisions
      .filter((d) => d.decision === "approve" && d.userId !== r.authorId)
      .map((d) => ({ label: d.label, comment: d.comment }));
    const rejection = r.decisions.find((d) => d.decision === "reject");
    const mine = userId !== null && r.authorId === userId;
    return {
      id: r.id,
      flagKey: r.flagKey,
      flagName: r.flagName,
      environmentKey: r.environmentKey,
      environmentName: r.environmentName,
      status: r.status,
      proposed: stateOf({ enabled: r.enabled, rolloutPercent: r.rolloutPercent, rules: r.rules }),
      base,
      baseMoved: r.status === "pending" && !sameState(base, current),
      reason: r.reason,
      authorLabel: r.authorLabel ?? "a deleted user",
      mine,
      requiredApprovals: r.requiredApprovals,
      approvals,
      rejection: rejection ? { label: rejection.label, comment: rejection.comment } : null,
      applyAt: r.applyAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      outcome: r.outcome,
      canDecide:
        r.status === "pending" &&
        actor.kind === "user" &&
        !mine &&
        can(actor, "flag.approve", r.environmentId) &&
        !r.decisions.some((d) => d.userId === userId),
      canWithdraw:
        mine && (r.status === "pending" || r.status === "scheduled") && can(actor, "flag.toggle", r.environmentId),
    };
  });
}

const listRead = defineOperation({
  name: "flag.change.list",
  scope: "visible",
  effect: "read",
  input: z.object({ flagKey: z.string().trim().min(1).max(100).optional() }).strict(),
  run: ({ actor, input }) => readFlagChangeRequests(actor, { flagKey: input.flagKey }),
});

export function flagChangeRequests(actor: Actor, input: { flagKey?: string } = {}): Promise<FlagChangeRequestView[]> {
  return listRead(actor, input);
}

/**
 * How many flag change requests wait for the viewer's decision (the header's count beside
 * "Flags"): read with the rest of their pending work, in the same statement, once per request.
 */
export const flagChangesWaiting = cache((actor: Actor): Promise<number> =>
  pendingWork(actor).then((work) => work.flagChanges),
);
