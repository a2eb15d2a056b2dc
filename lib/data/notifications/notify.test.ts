import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../test/reset";
import { actorWith } from "../../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { loadUserActor } from "../actors/load";
import { deploymentSucceeded } from "../deployments/succeeded";
import { ForbiddenError, ValidationError } from "../errors";
import { updateFlagState } from "../flags/toggle";
import { createFlag } from "../flags/create";
import { emitNotification } from "./emit";
import { fanOutNotification } from "./fan-out";
import { markRead, readInbox, unreadCount } from "./inbox";
import { readNotificationPreferences, updateNotificationPreferences } from "./preferences";
import { deploymentNews } from "./deployment-events";
import { resendLostFanOuts } from "./reconcile";
import { reportCheck } from "../checks/report";
import { tickChecklistItem } from "../promotion/tick";
import { getPromotion } from "../promotion/view";

// Who hears of what: events written in the transaction of the change, fanned out by the notify
// job to the people the access matrix says it concerns, each on the channels they chose.

const eventsOf = (kind: string) =>
  db().$queryRaw<{ id: string; key: string }[]>`select id, key from "NotificationEvent" where kind::text = ${kind}`;
const notifyJobs = (eventId: string) =>
  db().$queryRaw<
    { n: bigint }[]
  >`select count(*) as n from pgboss.job where name = 'notify' and data->>'eventId' = ${eventId}`;
const deliveryJobs = (ids: string[]) =>
  db().$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job
    where name = 'notification-delivery' and data->>'deliveryId' = any(${ids}::text[])`;
const inboxOf = (userId: string) => db().notification.findMany({ where: { userId } });

describe("notifications", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld({ approvers: 2 });
  });

  async function arriveInProduction(authorId: string | null = world.developer.id) {
    const release = await releaseAt(world, authorId, [world.env.development, world.env.staging]);
    await db().$transaction((tx) =>
      deploymentSucceeded(tx, { releaseId: release.id, environmentId: world.env.staging }),
    );
    return release;
  }

  it("tells the approvers, once, when a release arrives and waits only for approvals", async () => {
    const release = await arriveInProduction();
    const [event, ...more] = await eventsOf("approval.waiting");
    expect(more).toEqual([]);
    expect(event?.key).toBe(`approval.waiting:${release.id}:${world.env.production}`);
    expect(Number((await notifyJobs(event!.id))[0]?.n)).toBe(1);

    // a second arrival (a retried finish) is the same event
    await db().$transaction((tx) =>
      deploymentSucceeded(tx, { releaseId: release.id, environmentId: world.env.staging }),
    );
    expect(await eventsOf("approval.waiting")).toHaveLength(1);

    const first = await fanOutNotification(event!.id);
    expect(first).toEqual({ inbox: 2, email: 0, webhook: 0 });
    for (const approver of world.approvers) {
      const inbox = await readInbox(approver);
      expect(inbox.unread).toBe(1);
      expect(inbox.items[0]).toMatchObject({
        kind: "approval.waiting",
        path: `/releases/${release.id}`,
        environment: { key: "production" },
      });
    }
    // nobody else: not QA, not the developer, not the manager (none may approve there)
    for (const other of [world.qa, world.developer, world.manager]) expect(await inboxOf(other.id)).toEqual([]);
    // a repeated job does nothing twice
    expect(await fanOutNotification(event!.id)).toEqual({ inbox: 0, email: 0, webhook: 0 });
    expect(await db().notification.count()).toBe(2);
  });

  it("says nothing while another gate than approvals still holds the release", async () => {
    await db().environment.update({ where: { id: world.env.production }, data: { soakMinutes: 0 } });
    await db().checklistTemplate.create({
      data: {
        environmentId: world.env.production,
        name: "Go-live",
        items: { create: [{ position: 0, label: "Status page updated", required: true }] },
      },
    });
    await arriveInProduction();
    expect(await eventsOf("approval.waiting")).toEqual([]);
    // but the checklist's people hear of their list
    const [checklist] = await eventsOf("checklist.waiting");
    expect(checklist).toBeDefined();
  });

  it("tells only people who may see the environment, and hides what they can no longer see", async () => {
    // may approve there by the matrix, but not see it: not told
    const blind = await actorWith(["release.approve"], [world.env.production]);
    await arriveInProduction();
    const [event] = await eventsOf("approval.waiting");
    await fanOutNotification(event!.id);
    expect(await inboxOf(blind.id)).toEqual([]);

    // an approver who loses the environment afterwards no longer sees the item nor counts it
    const approver = world.approvers[0]!;
    expect(await unreadCount(approver)).toBe(1);
    const role = await db().userRole.findFirstOrThrow({ where: { userId: approver.id } });
    await db().environmentPermission.updateMany({
      where: { roleId: role.roleId, environmentId: world.env.production },
      data: { permissions: ["RELEASE_APPROVE"] },
    });
    const after = (await loadUserActor(approver.id))!;
    expect(await unreadCount(after)).toBe(0);
    expect((await readInbox(after)).items).toEqual([]);
  });

  it("honours each person's channels: no inbox when they said so, email only when mail is set up", async () => {
    const [quiet, mailed] = world.approvers as [(typeof world.approvers)[0], (typeof world.approvers)[0]];
    await updateNotificationPreferences(quiet, { kinds: { "approval.waiting": { inbox: false, email: false } } });
    await updateNotificationPreferences(mailed, { kinds: { "approval.waiting": { inbox: true, email: true } } });
    expect(await db().auditEvent.count({ where: { action: "notification.preferences.update" } })).toBe(2);

    // without mail settings no email goes out
    const one = await arriveInProduction();
    let [event] = await eventsOf("approval.waiting");
    expect(await fanOutNotification(event!.id)).toEqual({ inbox: 1, email: 0, webhook: 0 });

    await db().mailSettings.create({
      data: { host: "127.0.0.1", port: 2525, security: "none", fromAddress: "greenlight@test.example" },
    });
    await db().notificationChannel.createMany({
      data: [
        { name: "prod chat", format: "SLACK", url: "http://127.0.0.1:9/hook", environmentId: world.env.production },
        { name: "staging chat", format: "SLACK", url: "http://127.0.0.1:9/hook", environmentId: world.env.staging },
        {
          name: "failures only",
          format: "STANDARD",
          url: "http://127.0.0.1:9/hook",
          secretEnvVar: "HOOK_SECRET",
          kinds: ["DEPLOYMENT_FAILED"],
        },
      ],
    });
    await arriveInProduction();
    const events = await eventsOf("approval.waiting");
    event = events.find((e) => !e.key.includes(one.id));
    expect(await fanOutNotification(event!.id)).toEqual({ inbox: 1, email: 1, webhook: 1 });
    const deliveries = await db().notificationDelivery.findMany({ where: { eventId: event!.id } });
    expect(deliveries.map((d) => [d.channel, d.status]).sort()).toEqual([
      ["EMAIL", "PENDING"],
      ["WEBHOOK", "PENDING"],
    ]);
    expect(deliveries.find((d) => d.channel === "EMAIL")?.userId).toBe(mailed.id);
    expect(Number((await deliveryJobs(deliveries.map((d) => d.id)))[0]?.n)).toBe(2);

    const prefs = await readNotificationPreferences(mailed);
    expect(prefs.mailConfigured).toBe(true);
    expect(prefs.kinds.find((k) => k.kind === "approval.waiting")).toMatchObject({
      chosen: true,
      channels: { inbox: true, email: true },
    });
    // back to the default
    await updateNotificationPreferences(mailed, { kinds: { "approval.waiting": "default" } });
    expect((await readNotificationPreferences(mailed)).kinds.find((k) => k.kind === "approval.waiting")?.chosen).toBe(
      false,
    );
  });

  it("tells who started a failed deployment and who may deploy there", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development]);
    const bystander = await actorWith(["environment.view"], [world.env.staging]);
    const deployment = await db().deployment.create({
      data: {
        releaseId: release.id,
        applicationId: world.applicationId,
        environmentId: world.env.staging,
        status: "FAILED",
        triggeredById: world.qa.id,
      },
    });
    await db().$transaction((tx) =>
      deploymentNews(tx, "deployment.failed", {
        deploymentId: deployment.id,
        applicationId: world.applicationId,
        applicationKey: "storefront",
        environmentId: world.env.staging,
        environmentName: "Staging",
        releaseId: release.id,
        version: release.version,
        reason: "smoke check failed: <script>alert(1)</script>",
      }),
    );
    const [event] = await eventsOf("deployment.failed");
    await fanOutNotification(event!.id);
    const told = (await db().notification.findMany({ select: { userId: true } })).map((n) => n.userId).sort();
    // QA started it; the developer and the manager may deploy to staging; the bystander only looks
    expect(told).toEqual([world.qa.id, world.developer.id, world.manager.id].sort());
    expect(told).not.toContain(bystander.id);
    const [item] = (await readInbox(world.qa)).items;
    expect(item?.title).toBe(`storefront ${release.version} failed in Staging`);
    expect(item?.body).toContain("<script>");
  });

  it("tells flag approvers of a change request, but not its author", async () => {
    await db().environment.update({ where: { id: world.env.production }, data: { flagChangeApprovals: 1 } });
    const admin = await actorWith(["flag.manage"], []);
    await createFlag(admin, { key: "new-checkout", name: "New checkout" });
    const author = await actorWith(["environment.view", "flag.toggle", "flag.approve"], [world.env.production]);
    const approver = await actorWith(["environment.view", "flag.approve"], [world.env.production]);
    await updateFlagState(author, {
      flagKey: "new-checkout",
      environmentKey: "production",
      enabled: true,
      reason: "launch",
    });
    const [event] = await eventsOf("flag_change.waiting");
    await fanOutNotification(event!.id);
    expect(await inboxOf(author.id)).toEqual([]);
    expect((await readInbox(approver)).items[0]?.path).toBe("/flags/new-checkout");
  });

  it("marks read only the person's own notifications, audited; tokens have no inbox", async () => {
    await arriveInProduction();
    const [event] = await eventsOf("approval.waiting");
    await fanOutNotification(event!.id);
    const [a, b] = world.approvers as [(typeof world.approvers)[0], (typeof world.approvers)[0]];
    const bItem = (await readInbox(b)).items[0]!;
    expect(await markRead(a, { ids: [bItem.id] })).toEqual({ marked: 0 });
    expect(await unreadCount(b)).toBe(1);
    expect(await markRead(a, { all: true })).toEqual({ marked: 1 });
    expect(await unreadCount(a)).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "notification.read" } })).toBe(1);
    await expect(markRead(a, { ids: ["not-a-uuid"] })).rejects.toBeInstanceOf(ValidationError);
    await expect(markRead(a, { all: false })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      updateNotificationPreferences(a, { kinds: { "no.such.kind": { inbox: true, email: true } } }),
    ).rejects.toBeInstanceOf(ValidationError);
    const token = { ...a, kind: "token" } as unknown as Parameters<typeof readInbox>[0];
    await expect(readInbox(token)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("one event per key however many writers race, each with one fan-out job", async () => {
    const release = await releaseAt(world, null, [world.env.development]);
    const emit = () =>
      db().$transaction((tx) =>
        emitNotification(tx, {
          kind: "release.production",
          key: `race:${release.id}`,
          environmentId: world.env.production,
          releaseId: release.id,
          title: "t",
          body: "b",
          path: "/",
        }),
      );
    const ids = await Promise.all([emit(), emit(), emit(), emit()]);
    expect(ids.filter(Boolean)).toHaveLength(1);
    expect(Number((await notifyJobs(ids.find(Boolean)!))[0]?.n)).toBe(1);
  });

  it("sends a lost fan-out job again, once in a while, and never for news fanned out or a day old", async () => {
    const release = await releaseAt(world, null, []);
    const emitted = async (key: string) =>
      (await db().$transaction((tx) =>
        emitNotification(tx, {
          kind: "release.production",
          key,
          environmentId: world.env.production,
          releaseId: release.id,
          title: "t",
          body: "b",
          path: "/",
        }),
      ))!;
    const lost = await emitted(`lost:${release.id}`);
    const recent = await emitted(`recent:${release.id}`);
    const old = await emitted(`old:${release.id}`);
    const done = await emitted(`done:${release.id}`);
    await db()
      .$executeRaw`update "NotificationEvent" set "createdAt" = now() - interval '3 minutes' where id in (${lost}::uuid, ${done}::uuid)`;
    await db()
      .$executeRaw`update "NotificationEvent" set "createdAt" = now() - interval '2 days' where id = ${old}::uuid`;
    await fanOutNotification(done);
    expect(await resendLostFanOuts()).toBe(1);
    expect(Number((await notifyJobs(lost))[0]?.n)).toBe(2);
    for (const id of [recent, old, done]) expect(Number((await notifyJobs(id))[0]?.n)).toBe(1);
    // not again at the next sweep; again five minutes later
    expect(await resendLostFanOuts()).toBe(0);
    expect(await resendLostFanOuts(Date.now() + 6 * 60_000)).toBe(1);
  });

  it("tells the approvers once CI's check and the last tick leave only approvals to wait for", async () => {
    await db().environment.update({ where: { id: world.env.production }, data: { requiredChecks: ["e2e"] } });
    await db().checklistTemplate.create({
      data: {
        environmentId: world.env.production,
        name: "Go-live",
        items: {
          create: [
            { position: 0, label: "E2E green", required: true, checkName: "e2e", ciOnly: true },
            { position: 1, label: "Status page updated", required: true },
          ],
        },
      },
    });
    const ticker = await actorWith(["environment.view", "checklist.tick"], [world.env.production]);
    const ci = await actorWith(["environment.view", "release.check"], Object.values(world.env));
    const release = await arriveInProduction(null);
    const report = (status: "failure" | "success") =>
      reportCheck(ci, { releaseId: release.id, name: "e2e", status, environment: "production" });
    await report("failure");
    await report("success");
    expect(await eventsOf("approval.waiting")).toEqual([]);
    const view = await getPromotion(ticker, release.id);
    const open = view!.checklist.find((i) => i.label === "Status page updated")!;
    await tickChecklistItem(ticker, {
      releaseId: release.id,
      environmentKey: "production",
      itemId: open.id,
      checked: true,
    });
    const after = await getPromotion(ticker, release.id);
    expect(after?.gates.filter((g) => !g.passed).map((g) => g.key)).toEqual(["approvals"]);
    const [event, ...more] = await eventsOf("approval.waiting");
    expect(more).toEqual([]);
    expect(await fanOutNotification(event!.id)).toMatchObject({ inbox: 2 });
  });
});
