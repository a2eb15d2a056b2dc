import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { startReceiver, type Receiver } from "../deploy/webhook/test-receiver";
import { insertChannel, insertDelivery, insertEvent } from "../test/notifications.fixture";
import { resetDatabase } from "../test/reset";
import { until } from "../test/worker";
import { sendInTransaction } from "../queue/send";
import { stopWorkerBoss } from "./boss";
import { startNotificationWorker, stopNotificationWorker } from "./notification-worker";

// The notification worker through pg-boss: the notify job fans an event out to a webhook, the
// delivery jobs send it, a retry goes through the queue with its startAfter, and many deliveries
// run at once.

const SECRET = "whsec_" + Buffer.from("notification-worker-test-secret-0123").toString("base64");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let receiver: Receiver;

beforeAll(async () => {
  process.env.NOTIFY_WORKER_SECRET = SECRET;
  await resetDatabase();
  receiver = await startReceiver();
  receiver.fallback = { status: 200 };
  await startNotificationWorker({ delivery: { timeoutMs: 400, retryDelaySeconds: () => 0.2 }, concurrency: 16 });
});
afterAll(async () => {
  await stopNotificationWorker();
  await stopWorkerBoss();
  await receiver.close();
});

const statuses = async (ids: string[]) =>
  (await db().notificationDelivery.findMany({ where: { id: { in: ids } }, select: { status: true } })).map(
    (r) => r.status,
  );

describe("notification worker", () => {
  it("fans a notify job out and delivers it, retrying a 500 and a timeout through the queue, once", async () => {
    const channel = await insertChannel({ url: receiver.url, secretEnvVar: "NOTIFY_WORKER_SECRET" });
    const eventId = await insertEvent();
    receiver.answers.push({ status: 500 }, "hang");
    await db().$transaction((tx) => sendInTransaction(tx, "notify", { eventId }));
    const delivery = await until(
      () => db().notificationDelivery.findFirst({ where: { eventId } }),
      (d) => d?.status === "DELIVERED",
    );
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3, webhookId: channel });
    await sleep(800);
    const mine = receiver.received.filter((r) => r.headers["webhook-id"] === delivery!.id);
    expect(mine).toHaveLength(3);
    for (const r of mine) new Webhook(SECRET).verify(r.body, r.headers);
  });

  it("sends many deliveries at once", async () => {
    receiver.received.length = 0;
    const channel = await insertChannel({ url: receiver.url, secretEnvVar: "NOTIFY_WORKER_SECRET" });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(await insertDelivery(await insertEvent(), { webhookId: channel }, { job: true }));
    const started = Date.now();
    const done = await until(
      () => statuses(ids),
      (s) => s.every((x) => x === "DELIVERED"),
    );
    expect(done.filter((s) => s === "DELIVERED")).toHaveLength(60);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(60);
    expect(receiver.received).toHaveLength(60);
  });
});
