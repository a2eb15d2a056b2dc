import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { transaction, type Sql } from "../context";
import { audit } from "../audit/record";
import { ConflictError } from "../errors";
import { defineOperation } from "../operation";
import {
  describeState,
  environmentOfFlagChange,
  readableState,
  StaleFlagChange,
  stateOf,
  writeFlagState,
  type FlagStateValue,
} from "./state";

// Scheduled flag changes: a direct change set for later, or an approved change request with a
// time. The durable queue (lib/queue, queue "flag-change") delivers a job at runAt; the worker
// calls applyScheduledFlagChange, whose first statement moves the change out of "pending" — a
// second delivery, a retry or the reconciler's sweep then finds nothing to do, so it applies
// exactly once, across restarts. If the flag changed since the change was made, it fails, with
// the reason, on the record and on the page; an approved request behind it is marked stale.

export type ScheduledOutcome = "applied" | "failed" | "nothing";

export async function applyScheduledFlagChange(id: string): Promise<ScheduledOutcome> {
  return transaction({}, async (tx) => {
    const [change] = await tx.$queryRaw<
      {
        id: string;
        flagId: string;
        environmentId: string;
        enabled: boolean;
        rolloutPercent: number | null;
        rules: unknown;
        base: unknown;
        changeRequestId: string | null;
        createdById: string | null;
      }[]
    >`
      update "ScheduledFlagChange" set status = 'applied', "appliedAt" = now()
      where id = ${id}::uuid and status = 'pending' and "runAt" <= now()
      returning id, "flagId", "environmentId", enabled, "rolloutPercent", rules, base, "changeRequestId", "createdById"`;
    if (!change) return "nothing";
    const [context] = await tx.$queryRaw<
      { flagKey: string; archived: boolean; environmentName: string; creator: string | null }[]
    >`
      select f.key as "flagKey", f."archivedAt" is not null as archived, e.name as "environmentName",
        (select coalesce(u.name, u.email) from "User" u where u.id = ${change.createdById}::uuid) as creator
      from "FeatureFlag" f, "Environment" e
      where f.id = ${change.flagId}::uuid and e.id = ${change.environmentId}::uuid`;
    if (!context) return "nothing"; // the flag or the environment is gone (cascade removes the change too)
    const proposed = stateOf({ enabled: change.enabled, rolloutPercent: change.rolloutPercent, rules: change.rules });
    const base = change.base === null ? undefined : stateOf(change.base);
    const flag = { id: change.flagId, key: context.flagKey };
    const environment = { id: change.environmentId, name: context.environmentName };
    // the trail names who set it up, on behalf of whom Greenlight acts
    const actor = { label: `Greenlight (scheduled by ${context.creator ?? "a deleted user"})`, userId: null };

    const fail = async (failure: string, current: FlagStateValue | null) => {
      await tx.scheduledFlagChange.update({
        where: { id: change.id },
        data: { status: "FAILED", appliedAt: null, failure },
      });
      if (change.changeRequestId)
        await tx.flagChangeRequest.updateMany({
          where: { id: change.changeRequestId, status: "SCHEDULED" },
          data: { status: "STALE", closedAt: new Date(), outcome: failure },
        });
      await audit(tx, actor, {
        action: "flag.schedule.fail",
        entityType: "FeatureFlag",
        entityId: flag.key,
        environmentId: environment.id,
        before: current ? readableState(current) : null,
        after: {
          ...readableState(proposed),
          scheduledChange: change.id,
          ...(change.changeRequestId ? { changeRequest: change.changeRequestId } : {}),
          failure,
        },
      });
      return "failed" as const;
    };

    if (context.archived) return fail(`${flag.key} was archived before the change was due`, null);
    try {
      await writeFlagState(tx, actor, {
        flag,
        environment,
        proposed,
        base,
        via: {
          scheduledChange: change.id,
          ...(change.changeRequestId ? { changeRequest: change.changeRequestId } : {}),
        },
      });
    } catch (e) {
      if (!(e instanceof StaleFlagChange)) throw e;
      return fail(
        `${flag.key} changed in ${environment.name} after this change was scheduled: it was ` +
          `${describeState(e.base)}, it is ${describeState(e.current)}`,
        e.current,
      );
    }
    if (change.changeRequestId)
      await tx.flagChangeRequest.updateMany({
        where: { id: change.changeRequestId, status: "SCHEDULED" },
        data: { status: "APPLIED", closedAt: new Date() },
      });
    return "applied";
  });
}

/** Pending changes due more than `graceSeconds` ago: the reconciler's sweep for lost jobs. */
export async function overdueScheduledFlagChanges(graceSeconds: number, sql: Sql = db()): Promise<string[]> {
  const rows = await sql.$queryRaw<{ id: string }[]>`
    select id from "ScheduledFlagChange"
    where status = 'pending' and "runAt" <= now() - make_interval(secs => ${graceSeconds})
    order by "runAt" limit 100`;
  return rows.map((r) => r.id);
}

const scheduledEnvironment = (sql: Sql, id: string) =>
  environmentOfFlagChange(sql, "ScheduledFlagChange", id, "Scheduled change");

export const cancelScheduledFlagChange = defineOperation({
  name: "flag.schedule.cancel",
  permission: "flag.toggle",
  input: z.object({ scheduledChangeId: z.string().trim().min(1).max(100) }),
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => scheduledEnvironment(sql, input.scheduledChangeId),
  async run({ actor, input, environment, ctx }) {
    return transaction(ctx, async (tx) => {
      const [change] = await tx.$queryRaw<{ id: string; flagKey: string; changeRequestId: string | null }[]>`
        update "ScheduledFlagChange" s set status = 'cancelled', failure = 'Cancelled before its time'
        from "FeatureFlag" f
        where s.id = ${input.scheduledChangeId}::uuid and s.status = 'pending' and f.id = s."flagId"
        returning s.id, f.key as "flagKey", s."changeRequestId"`;
      if (!change) throw new ConflictError("This change is no longer waiting: it applied, failed or was cancelled");
      if (change.changeRequestId)
        await tx.flagChangeRequest.updateMany({
          where: { id: change.changeRequestId, status: "SCHEDULED" },
          data: { status: "WITHDRAWN", closedAt: new Date(), outcome: "Its scheduled change was cancelled" },
        });
      await audit(tx, actor, {
        action: "flag.schedule.cancel",
        entityType: "FeatureFlag",
        entityId: change.flagKey,
        environmentId: environment.id,
        after: { scheduledChange: change.id },
      });
      return { scheduledChangeId: change.id };
    });
  },
});

export interface ScheduledFlagChangeView {
  id: string;
  flagKey: string;
  flagName: string;
  environmentKey: string;
  environmentName: string;
  proposed: FlagStateValue;
  runAt: string;
  status: "pending" | "applied" | "cancelled" | "failed";
  failure: string | null;
  createdBy: string | null;
  changeRequestId: string | null;
  canCancel: boolean;
}

/** Waiting changes and those settled in the last 7 days, in environments the viewer may see. */
export async function readScheduledFlagChanges(
  actor: Actor,
  options: { flagKey?: string } = {},
  sql: Sql = db(),
): Promise<ScheduledFlagChangeView[]> {
  const environments = await sql.$queryRaw<{ id: string }[]>`select id from "Environment"`;
  const visible = environments.map((e) => e.id).filter((id) => can(actor, "environment.view", id));
  if (visible.length === 0) return [];
  const since = new Date(Date.now() - 7 * 86_400_000);
  const rows = await sql.$queryRaw<
    {
      id: string;
      flagKey: string;
      flagName: string;
      environmentId: string;
      environmentKey: string;
      environmentName: string;
      enabled: boolean;
      rolloutPercent: number | null;
      rules: unknown;
      runAt: Date;
      status: ScheduledFlagChangeView["status"];
      failure: string | null;
      createdBy: string | null;
      changeRequestId: string | null;
    }[]
  >`
    select s.id, f.key as "flagKey", f.name as "flagName", e.id as "environmentId", e.key as "environmentKey",
      e.name as "environmentName", s.enabled, s."rolloutPercent", s.rules, s."runAt", s.status::text as status,
      s.failure, coalesce(u.name, u.email) as "createdBy", s."changeRequestId"
    from "ScheduledFlagChange" s
    join "FeatureFlag" f on f.id = s."flagId"
    join "Environment" e on e.id = s."environmentId"
    left join "User" u on u.id = s."createdById"
    where s."environmentId" = any(${visible}::uuid[])
      and (s.status = 'pending' or s."runAt" >= ${since})
      and (${options.flagKey ?? null}::text is null or f.key = ${options.flagKey ?? null}::text)
    order by (s.status = 'pending') desc, s."runAt", s.id
    limit 200`;
  return rows.map((r) => ({
    id: r.id,
    flagKey: r.flagKey,
    flagName: r.flagName,
    environmentKey: r.environmentKey,
    environmentName: r.environmentName,
    proposed: stateOf({ enabled: r.enabled, rolloutPercent: r.rolloutPercent, rules: r.rules }),
    runAt: r.runAt.toISOString(),
    status: r.status,
    failure: r.failure,
    createdBy: r.createdBy,
    changeRequestId: r.changeRequestId,
    canCancel: r.status === "pending" && can(actor, "flag.toggle", r.environmentId),
  }));
}

const scheduledRead = defineOperation({
  name: "flag.schedule.list",
  scope: "visible",
  effect: "read",
  input: z.object({ flagKey: z.string().trim().min(1).max(100).optional() }).strict(),
  run: ({ actor, input }) => readScheduledFlagChanges(actor, { flagKey: input.flagKey }),
});

export function scheduledFlagChanges(
  actor: Actor,
  input: { flagKey?: string } = {},
): Promise<ScheduledFlagChangeView[]> {
  return scheduledRead(actor, input);
}
