import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { actorWith } from "../test/actors";
import { startWorker, stopWorker as stop, until } from "../test/worker";
import { resetDatabase } from "../test/reset";
import { approveFlagChange } from "../data/flags/change-requests";
import { applyScheduledFlagChange } from "../data/flags/scheduled";
import { updateFlagState } from "../data/flags/toggle";
import { ValidationError } from "../data/errors";

// Scheduled flag changes through the durable queue, with real worker processes: a change set for
// a moment when no worker runs is applied by the next one to start — once — and a change whose
// flag moved meanwhile fails visibly, with the reason.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const env = { staging: "", production: "" };

beforeAll(async () => {
  await resetDatabase();
  env.staging = (await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } })).id;
  env.production = (
    await db().environment.create({
      data: { key: "production", name: "Production", position: 2, flagChangeApprovals: 1 },
    })
  ).id;
});

async function freshFlag(): Promise<string> {
  const key = `sched-${randomUUID().slice(0, 8)}`;
  const flag = await db().featureFlag.create({ data: { key, name: key } });
  await db().flagState.createMany({
    data: Object.values(env).map((environmentId) => ({ flagId: flag.id, environmentId, enabled: false })),
  });
  return key;
}

const change = (id: string) => db().scheduledFlagChange.findUniqueOrThrow({ where: { id } });
const stateIn = (flagKey: string, environmentId: string) =>
  db().flagState.findFirstOrThrow({ where: { flag: { key: flagKey }, environmentId } });

describe("scheduled flag changes", () => {
  it("refuses a time in the past (422) and schedules nothing", async () => {
    const flagKey = await freshFlag();
    const ana = await actorWith(["environment.view", "flag.toggle"], [env.staging]);
    await expect(
      updateFlagState(ana, { flagKey, environmentKey: "staging", enabled: true, applyAt: "2020-01-01T00:00:00Z" }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await db().scheduledFlagChange.count({ where: { flag: { key: flagKey } } })).toBe(0);
  });

  it("is applied once by a worker started after its time, though the worker before it stopped first", async () => {
    const flagKey = await freshFlag();
    const ana = await actorWith(["environment.view", "flag.toggle"], [env.staging]);
    const first = startWorker();
    const runAt = new Date(Date.now() + 4_000);
    const scheduled = await updateFlagState(ana, {
      flagKey,
      environmentKey: "staging",
      enabled: true,
      rolloutPercent: 30,
      applyAt: runAt.toISOString(),
    });
    expect(scheduled).toMatchObject({ outcome: "scheduled" });
    const id = (scheduled as { scheduledChangeId: string }).scheduledChangeId;
    // the app stops before the change is due …
    await stop(first);
    expect((await change(id)).status).toBe("PENDING");
    await sleep(Math.max(0, runAt.getTime() - Date.now()) + 500);
    expect((await stateIn(flagKey, env.staging)).enabled).toBe(false);
    // … and the next start applies it
    const second = startWorker();
    try {
      const applied = await until(
        () => change(id),
        (c) => c.status !== "PENDING",
      );
      expect(applied.status).toBe("APPLIED");
      expect(await stateIn(flagKey, env.staging)).toMatchObject({ enabled: true, rolloutPercent: 30 });
      // a second delivery, or the reconciler's sweep, finds nothing left to do
      expect(await applyScheduledFlagChange(id)).toBe("nothing");
      await sleep(1_500);
      const events = await db().auditEvent.findMany({
        where: { action: "flag.state.update", entityId: flagKey },
        select: { after: true, actorLabel: true },
      });
      expect(events).toHaveLength(1);
      expect(events[0]?.after).toMatchObject({ enabled: true, rolloutPercent: 30, scheduledChange: id });
      expect(events[0]?.actorLabel).toMatch(/^Greenlight \(scheduled by /);
    } finally {
      await stop(second);
    }
  }, 60_000);

  it("fails visibly, with the reason, when the flag changed before its time; an approved request behind it goes stale", async () => {
    const flagKey = await freshFlag();
    const [ana, bo, admin] = await Promise.all([
      actorWith(["environment.view", "flag.toggle", "flag.approve"], [env.production]),
      actorWith(["environment.view", "flag.toggle", "flag.approve"], [env.production]),
      actorWith(["environment.view", "flag.toggle", "environment.manage"], [env.production]),
    ]);
    const runAt = new Date(Date.now() + 3_000);
    const { requestId } = (await updateFlagState(ana, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      reason: "Launch at the time of the newsletter",
      applyAt: runAt.toISOString(),
    })) as { requestId: string };
    const approved = await approveFlagChange(bo, { requestId });
    expect(approved).toMatchObject({ outcome: "scheduled" });
    const id = (approved as { scheduledChangeId: string }).scheduledChangeId;
    // an incident: the flag is switched on for 1% by break-glass before the time comes
    await updateFlagState(admin, {
      flagKey,
      environmentKey: "production",
      enabled: true,
      rolloutPercent: 1,
      breakGlass: true,
      reason: "Canary by hand",
    });
    await sleep(Math.max(0, runAt.getTime() - Date.now()) + 200);
    expect(await applyScheduledFlagChange(id)).toBe("failed");
    const failed = await change(id);
    expect(failed.status).toBe("FAILED");
    expect(failed.failure).toMatch(
      /changed in Production after this change was scheduled: it was off, it is on for 1%/,
    );
    expect(await db().flagChangeRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "STALE",
    });
    expect(await stateIn(flagKey, env.production)).toMatchObject({ enabled: true, rolloutPercent: 1 });
    expect(await db().auditEvent.count({ where: { action: "flag.schedule.fail", entityId: flagKey } })).toBe(1);
  });
});
