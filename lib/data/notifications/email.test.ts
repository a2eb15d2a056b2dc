import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { forgetParsedEnv } from "../../env";
import { DELIVERY_MAX_ATTEMPTS } from "../../domain/notifications";
import { actorWith } from "../../test/actors";
import { deliveryRow, insertDelivery, insertEvent } from "../../test/notifications.fixture";
import { resetDatabase } from "../../test/reset";
import { startMailSink, type MailSink } from "../../test/smtp";
import { deliverNotification, type DeliveryResult } from "./deliver";
import type { DeliveryOptions } from "./delivery-options";

// Email deliveries through a real SMTP server started here: what arrives (subject, both parts,
// the absolute link, the Message-ID, hostile text escaped), the password read from the
// environment, and servers that refuse for now (4xx: retried), for good (5xx: failed at once)
// or cannot be reached (retried, then failed).

const FAST: DeliveryOptions = { timeoutMs: 1000, retryDelaySeconds: () => 0 };

let sink: MailSink;
let production = "";
let recipient = { id: "", email: "" };

beforeAll(async () => {
  process.env.NOTIFY_TEST_SMTP_PASSWORD = "s3cret-smtp";
  process.env.GREENLIGHT_URL = "https://greenlight.example.com";
  await resetDatabase();
  production = (await db().environment.create({ data: { key: "production", name: "Production", position: 1 } })).id;
  recipient = await actorWith(["environment.view"], [production]);
  sink = await startMailSink({ user: "greenlight", password: "s3cret-smtp" });
});
afterAll(async () => {
  delete process.env.GREENLIGHT_URL;
  forgetParsedEnv();
  await sink.close();
});
beforeEach(async () => {
  sink.received.length = 0;
  sink.refuseWith = null;
  sink.attempts = 0;
  await db().mailSettings.upsert({
    where: { id: 1 },
    create: mailSettings(sink.port),
    update: mailSettings(sink.port),
  });
});

function mailSettings(port: number) {
  return {
    host: "127.0.0.1",
    port,
    security: "none",
    username: "greenlight",
    passwordEnvVar: "NOTIFY_TEST_SMTP_PASSWORD",
    fromAddress: "Greenlight <greenlight@example.com>",
    enabled: true,
  };
}

async function drive(deliveryId: string): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (let attempt = 1; attempt <= DELIVERY_MAX_ATTEMPTS; attempt++) {
    const result = await deliverNotification(deliveryId, attempt, FAST);
    results.push(result);
    if (result !== "retrying") break;
  }
  return results;
}

describe("email deliveries", () => {
  it("arrives with the title as subject, a text and an HTML part, the link, and a Message-ID of the delivery", async () => {
    const eventId = await insertEvent({
      environmentId: production,
      title: `<img src=x onerror=alert(1)> "storefront" & co failed`,
      body: "The deploy failed at the smoke check.\n\n<b>not bold</b>",
      path: "/releases/0192b7f0-0000-7000-8000-000000000001",
    });
    const id = await insertDelivery(eventId, { userId: recipient.id });
    expect(await drive(id)).toEqual(["delivered"]);
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.subject).toBe(`<img src=x onerror=alert(1)> "storefront" & co failed`);
    expect(mail.messageId).toBe(`<${id}@greenlight.example.com>`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(recipient.email);
    expect(mail.from?.text).toContain("greenlight@example.com");
    const link = "https://greenlight.example.com/releases/0192b7f0-0000-7000-8000-000000000001";
    expect(mail.text).toContain("The deploy failed at the smoke check.");
    expect(mail.text).toContain(link);
    const html = String(mail.html);
    expect(html).toContain(`href="${link}"`);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &quot;storefront&quot; &amp; co failed");
    expect(html).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatus: 250 });
    // the password came from the environment; nothing of it is stored
    const stored = JSON.stringify(await db().mailSettings.findUniqueOrThrow({ where: { id: 1 } }));
    expect(stored).not.toContain("s3cret-smtp");
  });

  it("retries a server that refuses for now (451), then fails with its answer", async () => {
    sink.refuseWith = 451;
    const id = await insertDelivery(await insertEvent({ environmentId: production }), { userId: recipient.id });
    const results = await drive(id);
    expect(results).toHaveLength(DELIVERY_MAX_ATTEMPTS);
    expect(results.at(-1)).toBe("failed");
    expect(sink.attempts).toBe(DELIVERY_MAX_ATTEMPTS);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "FAILED", attempts: DELIVERY_MAX_ATTEMPTS, lastStatus: 451 });
    expect(row.lastError).toContain("451");
  });

  it("fails at once when the server refuses for good (550): retrying cannot help", async () => {
    sink.refuseWith = 550;
    const id = await insertDelivery(await insertEvent({ environmentId: production }), { userId: recipient.id });
    expect(await drive(id)).toEqual(["failed"]);
    expect(await deliveryRow(id)).toMatchObject({ status: "FAILED", attempts: 1, lastStatus: 550 });
  });

  it("retries a server it cannot reach, then fails", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    await db().mailSettings.update({ where: { id: 1 }, data: { port: closed } });
    const id = await insertDelivery(await insertEvent({ environmentId: production }), { userId: recipient.id });
    const results = await drive(id);
    expect(results).toHaveLength(DELIVERY_MAX_ATTEMPTS);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "FAILED", attempts: DELIVERY_MAX_ATTEMPTS, lastStatus: null });
    expect(row.lastError).toMatch(/Could not reach 127\.0\.0\.1/);
  });

  it("fails, sending nothing, when the password's variable is not set", async () => {
    await db().mailSettings.update({ where: { id: 1 }, data: { passwordEnvVar: "NOTIFY_TEST_UNSET_PASSWORD" } });
    const id = await insertDelivery(await insertEvent({ environmentId: production }), { userId: recipient.id });
    expect(await drive(id)).toEqual(["failed"]);
    expect((await deliveryRow(id)).lastError).toContain("NOTIFY_TEST_UNSET_PASSWORD is not set");
    expect(sink.attempts).toBe(0);
  });
});
