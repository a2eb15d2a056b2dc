import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { actorWith } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import {
  approveFlagChange,
  editFlagChange,
  flagChangeRequests,
  flagChangesWaiting,
  rejectFlagChange,
  withdrawFlagChange,
} from "./change-requests";
import { updateFlagState } from "./toggle";

// Four eyes on production flag changes: the request's lifecycle, the author who never counts,
// stale detection against the state a request was made against, the break-glass override, and
// two approvals at once applying the change exactly once.

const env = { staging: "", production: "" };

beforeAll(async () => {
  await resetDatabase();
  env.staging = (await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } })).id;
  env.production = (
    await db().environment.create({
      data: { key: "production", name: "Production", position: 2, protected: true, flagChangeApprovals: 1 },
    })
  ).id;
});

/** A flag of this test's own, off in both environments. */
async function freshFlag(): Promise<string> {
  const key = `flag-${randomUUID().slice(0, 8)}`;
  const flag = await db().featureFlag.create({ data: { key, name: key } });
  await db().flagState.createMany({
    data: Object.values(env).map((environmentId) => ({ flagId: flag.id, environmentId, enabled: false })),
  });
  return key;
}

async function stateIn(flagKey: string, environmentId: string) {
  return db().flagState.findFirstOrThrow({
    where: { flag: { key: flagKey }, environmentId },
    select: { enabled: true, rolloutPercent: true, rules: true },
  });
}

const people = () =>
  Promise.all([
    actorWith(["environment.view", "flag.toggle", "flag.approve"], [env.staging, env.production]),
    actorWith(["environment.view", "flag.toggle", "flag.approve"], [env.staging, env.production]),
    actorWith(["environment.view", "flag.toggle", "flag.approve"], [env.staging, env.production]),
  ]);

describe("flag changes where four eyes are required", () => {
  it("applies directly where no approval is asked, and records it", async () => {
    const flagKey = await freshFlag();
    const [ana] = await people();
    const result = await updateFlagState(ana, { flagKey, environmentKey: "staging", enabled: true });
    expect(result).toMatchObject({ outcome: "applied", enabled: true });
    expect((await stateIn(flagKey, env.staging)).enabled).toBe(true);
  });

  it("turns a production change into a request with its reason, base and required approvals; nothing changes yet", async () => {
    const flagKey = await freshFlag();
    const [ana, bo] = await people();
    await expect(updateFlagState(ana, { flagKey, environmentKey: "production", enabled: true })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { reason: [expect.stringMatching(/approval/)] },
    });
    const result = await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      rolloutPercent: 25,
      reason: "Launch to a quarter",
    });
    expect(result).toMatchObject({ outcome: "requested", requiredApprovals: 1 });
    expect((await stateIn(flagKey, env.production)).enabled).toBe(false);
    const request = await db().flagChangeRequest.findFirstOrThrow({ where: { flag: { key: flagKey } } });
    expect(request).toMatchObject({
      status: "PENDING",
      enabled: true,
      rolloutPercent: 25,
      reason: "Launch to a quarter",
      requiredApprovals: 1,
      authorId: ana.id,
      base: { enabled: false, rolloutPercent: null, rules: [] },
    });
    // it waits for Bo (not for Ana, its author)
    const [forBo] = (await flagChangeRequests(bo)).filter((r) => r.flagKey === flagKey);
    expect(forBo).toMatchObject({ status: "pending", canDecide: true, mine: false });
    const [forAna] = (await flagChangeRequests(ana)).filter((r) => r.flagKey === flagKey);
    expect(forAna).toMatchObject({ canDecide: false, canWithdraw: true, mine: true });
    expect(await flagChangesWaiting(bo)).toBeGreaterThanOrEqual(1);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "flag.change.request", entityId: flagKey },
    });
    expect(audit.after).toMatchObject({ enabled: true, rolloutPercent: 25, reason: "Launch to a quarter" });
  });

  it("refuses the author's own approval (403, recorded) and applies on someone else's, with the trail naming the request", async () => {
    const flagKey = await freshFlag();
    const [ana, bo] = await people();
    const { requestId } = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      reason: "Go",
    })) as { requestId: string };
    await expect(approveFlagChange(ana, { requestId })).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await db().auditEvent.findFirst({
      where: { action: "authz.denied", actorUserId: ana.id },
      orderBy: { at: "desc" },
    });
    expect(denied?.after).toMatchObject({ attempted: "flag.change.approve" });
    expect((await stateIn(flagKey, env.production)).enabled).toBe(false);

    expect(await approveFlagChange(bo, { requestId, comment: "ok" })).toEqual({ outcome: "applied" });
    expect((await stateIn(flagKey, env.production)).enabled).toBe(true);
    expect(await db().flagChangeRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "APPLIED",
    });
    const change = await db().auditEvent.findFirstOrThrow({
      where: { action: "flag.state.update", entityId: flagKey, environmentId: env.production },
    });
    expect(change.before).toMatchObject({ enabled: false });
    expect(change.after).toMatchObject({ enabled: true, changeRequest: requestId });
    expect(change.actorUserId).toBe(bo.id);
    // closed: nothing more to decide
    await expect(approveFlagChange(bo, { requestId })).rejects.toBeInstanceOf(ConflictError);
  });

  it("marks a request stale when the flag changed since, and the approval fails with 409 showing both states", async () => {
    const flagKey = await freshFlag();
    const [ana, bo, cy] = await people();
    const admin = await actorWith(
      ["environment.view", "flag.toggle", "environment.manage"],
      [env.staging, env.production],
    );
    const { requestId } = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      rolloutPercent: 50,
      reason: "Half",
    })) as { requestId: string };
    // meanwhile an admin breaks glass: on for 10%
    await expect(
      updateFlagState(admin, {
        flagKey,
        environmentKey: "production",
        enabled: true,
        rolloutPercent: 10,
        breakGlass: true,
      }),
    ).rejects.toBeInstanceOf(ValidationError); // a reason is required
    const override = await updateFlagState(admin, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      rolloutPercent: 10,
      breakGlass: true,
      reason: "Incident 42: checkout down without it",
    });
    expect(override).toMatchObject({ outcome: "applied", rolloutPercent: 10 });
    const overrideEvent = await db().auditEvent.findFirstOrThrow({
      where: { action: "flag.state.update", entityId: flagKey, environmentId: env.production },
    });
    expect(overrideEvent.after).toMatchObject({
      override: "Incident 42: checkout down without it",
      rolloutPercent: 10,
    });

    // the reader says so before anyone tries
    const [seen] = (await flagChangeRequests(bo)).filter((r) => r.id === requestId);
    expect(seen?.baseMoved).toBe(true);

    const error = await approveFlagChange(bo, { requestId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/was off and is now on for 10%.*on for 50%/);
    // marked stale (committed), the flag as the override left it
    expect(await db().flagChangeRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "STALE",
    });
    expect(await stateIn(flagKey, env.production)).toMatchObject({ enabled: true, rolloutPercent: 10 });
    expect(await db().auditEvent.count({ where: { action: "flag.change.stale", entityId: flagKey } })).toBe(1);
    await expect(approveFlagChange(cy, { requestId })).rejects.toBeInstanceOf(ConflictError);
  });

  it("refuses an override to someone without environment.manage (403) and changes nothing", async () => {
    const flagKey = await freshFlag();
    const [ana] = await people();
    await expect(
      updateFlagState(ana, { flagKey, environmentKey: "production", enabled: true, breakGlass: true, reason: "now" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await stateIn(flagKey, env.production)).enabled).toBe(false);
    expect(await db().flagChangeRequest.count({ where: { flag: { key: flagKey } } })).toBe(0);
  });

  it("withdraws the approvals a request had when its author edits it, and re-bases it", async () => {
    const flagKey = await freshFlag();
    const [ana, bo] = await people();
    await db().environment.update({ where: { id: env.production }, data: { flagChangeApprovals: 2 } });
    try {
      const { requestId } = (await updateFlagState(ana, {
        flagKey,
        environmentKey: "production",
        enabled: true,
        reason: "On",
      })) as { requestId: string };
      expect(await approveFlagChange(bo, { requestId })).toEqual({
        outcome: "pending",
        approvals: 1,
        requiredApprovals: 2,
      });
      await expect(
        editFlagChange(bo, { requestId, enabled: true, rolloutPercent: 5, reason: "mine now" }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect(
        await editFlagChange(ana, { requestId, enabled: true, rolloutPercent: 5, reason: "Start with 5%" }),
      ).toEqual({ requestId, approvalsWithdrawn: 1 });
      const [view] = (await flagChangeRequests(ana)).filter((r) => r.id === requestId);
      expect(view).toMatchObject({ approvals: [], reason: "Start with 5%", proposed: { rolloutPercent: 5 } });
      const edit = await db().auditEvent.findFirstOrThrow({ where: { action: "flag.change.edit", entityId: flagKey } });
      expect(edit.after).toMatchObject({ approvalsWithdrawn: 1, rolloutPercent: 5 });
    } finally {
      await db().environment.update({ where: { id: env.production }, data: { flagChangeApprovals: 1 } });
    }
  });

  it("lets approvers reject with a reason, and the author withdraw; neither changes the flag", async () => {
    const flagKey = await freshFlag();
    const [ana, bo] = await people();
    const first = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      reason: "r1",
    })) as { requestId: string };
    await expect(rejectFlagChange(bo, { requestId: first.requestId, comment: "" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(rejectFlagChange(ana, { requestId: first.requestId, comment: "no" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await rejectFlagChange(bo, { requestId: first.requestId, comment: "Not before the sale" })).toEqual({
      outcome: "rejected",
    });
    const second = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      reason: "r2",
    })) as { requestId: string };
    await expect(withdrawFlagChange(bo, { requestId: second.requestId })).rejects.toBeInstanceOf(ForbiddenError);
    await withdrawFlagChange(ana, { requestId: second.requestId });
    const statuses = await db().flagChangeRequest.findMany({
      where: { flag: { key: flagKey } },
      select: { status: true, outcome: true },
      orderBy: { createdAt: "asc" },
    });
    expect(statuses).toEqual([
      { status: "REJECTED", outcome: "Not before the sale" },
      { status: "WITHDRAWN", outcome: "Withdrawn by its author" },
    ]);
    expect((await stateIn(flagKey, env.production)).enabled).toBe(false);
  });

  it("applies exactly once when two people approve at the same moment", async () => {
    const flagKey = await freshFlag();
    const [ana, bo, cy] = await people();
    const { requestId } = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      reason: "Both at once",
    })) as { requestId: string };
    const outcomes = await Promise.allSettled([
      approveFlagChange(bo, { requestId }),
      approveFlagChange(cy, { requestId }),
    ]);
    const applied = outcomes.filter((o) => o.status === "fulfilled" && o.value.outcome === "applied");
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(
      await db().auditEvent.count({
        where: { action: "flag.state.update", entityId: flagKey, environmentId: env.production },
      }),
    ).toBe(1);
  });

  it("does not reveal requests of environments the viewer cannot see (404), and refuses a token's approval", async () => {
    const flagKey = await freshFlag();
    const [ana] = await people();
    const { requestId } = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      reason: "Hidden",
    })) as { requestId: string };
    const stagingOnly = await actorWith(["environment.view", "flag.approve"], [env.staging]);
    await expect(approveFlagChange(stagingOnly, { requestId })).rejects.toBeInstanceOf(NotFoundError);
    expect((await flagChangeRequests(stagingOnly)).some((r) => r.id === requestId)).toBe(false);
    await expect(approveFlagChange(ana, { requestId: "not-a-uuid" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(approveFlagChange(ana, { requestId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
  });
});
