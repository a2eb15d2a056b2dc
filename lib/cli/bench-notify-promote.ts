import { randomBytes } from "node:crypto";
import { percentile } from "./bench-kit";

// The promote request's share of notifying people (part of npm run bench:notify). A person
// promotes through a freeze, which tells the 200 people who manage production on three
// channels (inbox, email, a webhook). The request itself only records the event and its job;
// the fan-out and the deliveries run later in the worker. Measured on the data layer the server
// action calls (promoteRelease), against the same promotion without a freeze (no event, and one
// audit row fewer), alternating, each a fresh release of its own; and emitNotification alone,
// which is all the request does for the 200. Expects DATABASE_URL to name a migrated, empty
// database.

const PEOPLE = Number(process.env.BENCH_NOTIFY_PEOPLE ?? 200);
const RUNS = Number(process.env.BENCH_NOTIFY_PROMOTIONS ?? 60);
const WARMUP = 5;
export const TARGET_ADDED_MS = 10;

export interface PromoteMeasurement {
  people: number;
  runs: number;
  withEvent: { p50: number; p95: number };
  withoutEvent: { p50: number; p95: number };
  /** p50 with the event minus p50 without */
  addedP50: number;
  /** emitNotification alone, inside a transaction */
  emit: { p50: number; p95: number };
  /** the notify job's fan-out of one such event, off the request's path */
  fanOut: { ms: number; inbox: number; email: number; webhook: number };
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

export async function measurePromoteWithNotifications(): Promise<PromoteMeasurement> {
  const { db } = await import("../db");
  const { loadUserActor } = await import("../data/actors/load");
  const { promoteRelease } = await import("../data/promotion/promote");
  const { emitNotification } = await import("../data/notifications/emit");
  const { fanOutNotification } = await import("../data/notifications/fan-out");

  const staging = await db().environment.create({ data: { key: "staging", name: "Staging", position: 0 } });
  const production = await db().environment.create({
    data: { key: "production", name: "Production", position: 1, protected: true },
  });
  const application = await db().application.create({ data: { key: "storefront", name: "Storefront" } });
  const role = await db().role.create({
    data: {
      key: "managers",
      name: "Managers",
      permissions: {
        create: [
          { environmentId: staging.id, permissions: ["ENVIRONMENT_VIEW"] },
          { environmentId: production.id, permissions: ["ENVIRONMENT_VIEW", "DEPLOY_TRIGGER", "ENVIRONMENT_MANAGE"] },
        ],
      },
    },
  });
  const users = await db().user.createManyAndReturn({
    data: Array.from({ length: PEOPLE }, (_, i) => ({ email: `manager-${i}@bench.example`, name: `Manager ${i}` })),
    select: { id: true },
  });
  await db().userRole.createMany({ data: users.map((u) => ({ userId: u.id, roleId: role.id })) });
  // everyone wants the inbox and email for this kind; mail is set up; one webhook listens
  await db().notificationPreference.createMany({
    data: users.map((u) => ({ userId: u.id, kind: "FREEZE_OVERRIDE" as const, inbox: true, email: true })),
  });
  await db().mailSettings.create({
    data: { host: "127.0.0.1", port: 2525, security: "none", fromAddress: "greenlight@bench.example" },
  });
  await db().notificationChannel.create({
    data: {
      name: "production chat",
      format: "STANDARD",
      url: "http://127.0.0.1:9/hook",
      secretEnvVar: "BENCH_HOOK_SECRET",
      environmentId: production.id,
    },
  });
  const loaded = await loadUserActor(users[0]!.id);
  if (!loaded) throw new Error("the bench's manager did not load");
  const actor = loaded;

  async function candidate(): Promise<string> {
    const release = await db().release.create({
      data: {
        applicationId: application.id,
        version: `1.0.${randomBytes(4).readUInt32BE()}`,
        commitSha: randomBytes(20).toString("hex"),
        title: "bench",
      },
    });
    await db().deployment.create({
      data: {
        releaseId: release.id,
        applicationId: application.id,
        environmentId: staging.id,
        status: "SUCCEEDED",
        finishedAt: new Date(Date.now() - 60_000),
      },
    });
    return release.id;
  }

  // with and without the freeze in turn, so the machine's drift weighs on both alike
  const times = { withEvent: [] as number[], withoutEvent: [] as number[] };
  for (let i = 0; i < WARMUP + RUNS; i++)
    for (const override of [i % 2 === 0, i % 2 !== 0]) {
      const freeze = override
        ? await db().freezeWindow.create({
            data: {
              environmentId: production.id,
              kind: "ONE_OFF",
              reason: "bench freeze",
              startsAt: new Date(Date.now() - 3_600_000),
              endsAt: new Date(Date.now() + 24 * 3_600_000),
            },
          })
        : null;
      const releaseId = await candidate();
      const started = performance.now();
      await promoteRelease(actor, {
        releaseId,
        environmentKey: "production",
        ...(override ? { overrideReason: "bench: hotfix during the freeze" } : {}),
      });
      const took = performance.now() - started;
      if (i >= WARMUP) (override ? times.withEvent : times.withoutEvent).push(took);
      if (freeze) await db().freezeWindow.delete({ where: { id: freeze.id } });
      // nothing holds production for the next one
      await db().deployment.updateMany({
        where: { environmentId: production.id, status: "QUEUED" },
        data: { status: "SUCCEEDED", finishedAt: new Date() },
      });
    }
  const withEvent = summary(times.withEvent);
  const withoutEvent = summary(times.withoutEvent);

  const emits: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const key = `bench:${randomBytes(8).toString("hex")}`;
    const took = await db().$transaction(async (tx) => {
      const started = performance.now();
      await emitNotification(tx, {
        kind: "freeze.override",
        key,
        environmentId: production.id,
        title: "bench",
        body: "bench",
        path: "/",
      });
      return performance.now() - started;
    });
    if (i >= WARMUP) emits.push(took);
  }

  const [event] = await db().$queryRaw<{ id: string }[]>`
    select id from "NotificationEvent" where kind = 'freeze.override' and "fannedOutAt" is null
      and key like 'freeze.override:%' order by id desc limit 1`;
  if (!event) throw new Error("no freeze.override event was recorded");
  const started = performance.now();
  const fanned = await fanOutNotification(event.id);
  const fanOutMs = performance.now() - started;

  return {
    people: PEOPLE,
    runs: RUNS,
    withEvent,
    withoutEvent,
    addedP50: withEvent.p50 - withoutEvent.p50,
    emit: summary(emits),
    fanOut: { ms: fanOutMs, ...fanned },
  };
}
