import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { DELIVERY_MAX_ATTEMPTS } from "../../domain/notifications";
import { startReceiver, type Receiver } from "../../deploy/webhook/test-receiver";
import { actorWith } from "../../test/actors";
import { deliveryRow, insertChannel, insertDelivery, insertEvent } from "../../test/notifications.fixture";
import { resetDatabase } from "../../test/reset";
import { deliverNotification, type DeliveryResult } from "./deliver";
import type { DeliveryOptions } from "./delivery-options";
import { failInterruptedDeliveries, resendOverdueDeliveries } from "./reconcile";

// One delivery's attempts, driven one by one against a real HTTP receiver: the claim, the
// Standard Webhooks signature, Slack's format and escaping, which answers are retried, the final
// failure, the re-check of the recipient, and the reconciler's two sweeps.

const SECRET = "whsec_" + Buffer.from("notification-test-secret-0123456789").toString("base64");
const FAST: DeliveryOptions = { timeoutMs: 300, retryDelaySeconds: () => 0 };

let receiver: Receiver;
let production = "";

beforeAll(async () => {
  process.env.NOTIFY_TEST_SECRET = SECRET;
  process.env.NOTIFY_TEST_SLACK_URL = "";
  await resetDatabase();
  production = (await db().environment.create({ data: { key: "production", name: "Production", position: 1 } })).id;
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answers.length = 0;
  receiver.fallback = { status: 204 };
});

/** Attempts in order, as the jobs would run them, until the delivery stops asking for another. */
async function drive(deliveryId: string): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (let attempt = 1; attempt <= DELIVERY_MAX_ATTEMPTS; attempt++) {
    const result = await deliverNotification(deliveryId, attempt, FAST);
    results.push(result);
    if (result !== "retrying") break;
  }
  return results;
}

const signedChannel = (extra: Parameters<typeof insertChannel>[0] = {}) =>
  insertChannel({ url: receiver.url, secretEnvVar: "NOTIFY_TEST_SECRET", ...extra });

describe("webhook deliveries", () => {
  it("signs a Standard Webhooks event with the delivery id, retries a 500 and a timeout, and succeeds once", async () => {
    const eventId = await insertEvent({ environmentId: production });
    const id = await insertDelivery(eventId, { webhookId: await signedChannel() });
    receiver.answers.push({ status: 500, body: "busy" }, "hang");
    expect(await drive(id)).toEqual(["retrying", "retrying", "delivered"]);

    expect(receiver.received).toHaveLength(3);
    const verifier = new Webhook(SECRET);
    for (const r of receiver.received) {
      expect(r.headers["webhook-id"]).toBe(id);
      const payload = verifier.verify(r.body, r.headers) as { type: string; data: Record<string, unknown> };
      expect(payload.type).toBe("deployment.failed");
      expect(payload.data).toMatchObject({
        eventId,
        title: "storefront 2.3.0 failed in Production",
        environment: { key: "production", name: "Production" },
        application: "storefront",
      });
      expect(String(payload.data.url)).toMatch(/^https?:\/\/[^/]+\/releases\//);
    }
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "DELIVERED", attempts: 3, lastStatus: 204, lastError: null });
    // a duplicate or stale job sends nothing
    expect(await deliverNotification(id, 3, FAST)).toBe("nothing");
    expect(await deliverNotification(id, 1, FAST)).toBe("nothing");
    expect(receiver.received).toHaveLength(3);
  });

  it("keeps failing: ends failed after the last attempt, with what the receiver said, audited once", async () => {
    const eventId = await insertEvent({ environmentId: production, title: "Hook keeps failing" });
    const id = await insertDelivery(eventId, { webhookId: await signedChannel({ name: "Ops hook" }) });
    receiver.fallback = { status: 503, body: "down for maintenance" };
    const results = await drive(id);
    expect(results.at(-1)).toBe("failed");
    expect(results).toHaveLength(DELIVERY_MAX_ATTEMPTS);
    expect(receiver.received).toHaveLength(DELIVERY_MAX_ATTEMPTS);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "FAILED", attempts: DELIVERY_MAX_ATTEMPTS, lastStatus: 503 });
    expect(row.lastError).toContain("HTTP 503: down for maintenance");
    const audits = await db().auditEvent.findMany({ where: { action: "notification.delivery.fail", entityId: id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorLabel: "system", environmentId: production });
    expect(audits[0]!.after).toMatchObject({ target: "Ops hook", event: "Hook keeps failing", attempts: 6 });
  });

  it("fails at once on a 400, and on a redirect, which it does not follow", async () => {
    const a = await insertDelivery(await insertEvent(), { webhookId: await signedChannel() });
    receiver.answers.push({ status: 400, body: "bad payload" });
    expect(await drive(a)).toEqual(["failed"]);
    expect(await deliveryRow(a)).toMatchObject({ status: "FAILED", attempts: 1, lastStatus: 400 });

    const b = await insertDelivery(await insertEvent(), { webhookId: await signedChannel() });
    receiver.answers.push({ status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    expect(await drive(b)).toEqual(["failed"]);
    expect((await deliveryRow(b)).lastError).toContain("redirect");
    expect(receiver.received).toHaveLength(2);
  });

  it("posts Slack's format with text and a link button, escaping <, > and &", async () => {
    process.env.NOTIFY_TEST_SLACK_URL = receiver.url;
    const eventId = await insertEvent({ title: "<!channel> & <script>alert(1)</script>", body: "a > b" });
    const channel = await insertChannel({ format: "slack", urlEnvVar: "NOTIFY_TEST_SLACK_URL" });
    const id = await insertDelivery(eventId, { webhookId: channel });
    expect(await drive(id)).toEqual(["delivered"]);
    const sent = JSON.parse(receiver.received[0]!.body) as {
      text: string;
      blocks: { type: string; text?: { text: string }; elements?: { url: string; text: { text: string } }[] }[];
    };
    expect(sent.text).toBe("&lt;!channel&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;: a &gt; b");
    expect(sent.text).not.toContain("<");
    expect(sent.blocks[0]!.text!.text).toContain("*&lt;!channel&gt; &amp; &lt;script&gt;");
    const button = sent.blocks[1]!.elements![0]!;
    expect(button.text.text).toBe("Open in Greenlight");
    expect(button.url).toMatch(/\/releases\/00000000-0000-0000-0000-000000000000$/);
    // the URL was read from the variable, never stored
    expect((await db().notificationChannel.findUniqueOrThrow({ where: { id: channel } })).url).toBeNull();
  });

  it("sends nothing through a disabled channel, or without its secret, and says why", async () => {
    const disabled = await insertDelivery(await insertEvent(), { webhookId: await signedChannel({ enabled: false }) });
    expect(await drive(disabled)).toEqual(["failed"]);
    expect((await deliveryRow(disabled)).lastError).toContain("disabled");
    const unsigned = await insertDelivery(await insertEvent(), {
      webhookId: await signedChannel({ secretEnvVar: "NOTIFY_TEST_UNSET_SECRET" }),
    });
    expect(await drive(unsigned)).toEqual(["failed"]);
    expect((await deliveryRow(unsigned)).lastError).toContain("NOTIFY_TEST_UNSET_SECRET is not set");
    expect(receiver.received).toHaveLength(0);
  });
});

describe("the recipient, checked again at delivery time", () => {
  it("gives nothing to a deactivated person or one who can no longer view the environment", async () => {
    await db().mailSettings.create({
      data: { host: "127.0.0.1", port: 1, security: "none", fromAddress: "greenlight@example.test" },
    });
    const eventId = await insertEvent({ environmentId: production });
    const gone = await actorWith(["environment.view"], [production]);
    await db().user.update({ where: { id: gone.id }, data: { active: false } });
    const blind = await actorWith(["release.approve"], []);
    const a = await insertDelivery(eventId, { userId: gone.id });
    const b = await insertDelivery(eventId, { userId: blind.id });
    expect(await drive(a)).toEqual(["failed"]);
    expect(await drive(b)).toEqual(["failed"]);
    expect((await deliveryRow(a)).lastError).toBe("The recipient is deactivated or deleted");
    expect((await deliveryRow(b)).lastError).toBe("The recipient can no longer view Production");
    await db().mailSettings.deleteMany();
  });
});

describe("the reconciler", () => {
  it("sends the job of a pending delivery overdue by a minute again, and only once", async () => {
    const id = await insertDelivery(await insertEvent(), { webhookId: await signedChannel() });
    await db().notificationDelivery.update({ where: { id }, data: { nextAttemptAt: new Date(Date.now() - 120_000) } });
    const jobs = () =>
      db().$queryRaw<{ n: bigint }[]>`select count(*) as n from pgboss.job where name = 'notification-delivery'
        and data->>'deliveryId' = ${id}`;
    expect(Number((await jobs())[0]!.n)).toBe(0);
    expect(await resendOverdueDeliveries(60)).toBeGreaterThanOrEqual(1);
    expect(await resendOverdueDeliveries(60)).toBe(0);
    expect(Number((await jobs())[0]!.n)).toBe(1);
  });

  it("fails a delivery left sending for 5 minutes as interrupted, and never sends it", async () => {
    const id = await insertDelivery(await insertEvent(), { webhookId: await signedChannel() });
    await db().notificationDelivery.update({
      where: { id },
      data: { status: "SENDING", attempts: 1, claimedAt: new Date(Date.now() - 6 * 60_000) },
    });
    expect(await failInterruptedDeliveries(300)).toBe(1);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "FAILED", lastError: "interrupted: it may or may not have arrived" });
    expect(await deliverNotification(id, 2, FAST)).toBe("nothing");
    expect(receiver.received).toHaveLength(0);
  });
});
