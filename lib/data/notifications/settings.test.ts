import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { actorWith } from "../../test/actors";
import { insertChannel, insertDelivery, insertEvent } from "../../test/notifications.fixture";
import { resetDatabase } from "../../test/reset";
import { startMailSink, type MailSink } from "../../test/smtp";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { deleteEnvironmentChannel, deleteGlobalChannel } from "./channel-delete";
import { saveEnvironmentChannel, saveGlobalChannel } from "./channel-save";
import { listDeliveries } from "./deliveries-read";
import { sendTestEmail } from "./mail-test";
import { updateMailSettings } from "./mail-update";
import { resendDelivery } from "./resend";
import { readNotificationSettings } from "./settings-read";

// The notification settings: who may change what (notification.manage for the mail server and
// channels of every environment, environment.manage for an environment's own), what is refused
// as malformed (422 with the field), what the trail records; the deliveries page and "send again".

let admin: UserActor;
let stagingManager: UserActor;
let viewer: UserActor;
const env = { staging: "", production: "" };
let sink: MailSink;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a refusal");
}

const audits = (action: string) => db().auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });

beforeAll(async () => {
  await resetDatabase();
  env.staging = (await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } })).id;
  env.production = (await db().environment.create({ data: { key: "production", name: "Production", position: 2 } })).id;
  admin = await actorWith(["notification.manage", "environment.view"], [env.staging, env.production]);
  stagingManager = await actorWith(["environment.view", "environment.manage"], [env.staging]);
  viewer = await actorWith(["environment.view"], [env.staging, env.production]);
  sink = await startMailSink();
});
afterAll(() => sink.close());

describe("mail settings", () => {
  it("refuses malformed settings with a message per field, and saves nothing", async () => {
    const e = await rejection(
      updateMailSettings(admin, {
        host: "smtp example.com",
        port: "70000",
        security: "ssl",
        username: "me",
        fromAddress: "not an address",
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    const fields = Object.keys((e as ValidationError).fieldErrors);
    expect(fields).toEqual(expect.arrayContaining(["host", "port", "security", "fromAddress"]));
    const named = (await rejection(
      updateMailSettings(admin, {
        host: "smtp.example.com",
        port: 587,
        security: "starttls",
        username: "me",
        passwordEnvVar: "smtp_password",
        fromAddress: "greenlight@example.com",
      }),
    )) as ValidationError;
    expect(named.fieldErrors.passwordEnvVar).toBeDefined();
    const own = (await rejection(
      updateMailSettings(admin, {
        host: "smtp.example.com",
        port: 587,
        security: "starttls",
        username: "me",
        passwordEnvVar: "DATABASE_URL",
        fromAddress: "greenlight@example.com",
      }),
    )) as ValidationError;
    expect(own.fieldErrors.passwordEnvVar?.[0]).toContain("Greenlight's own settings");
    expect(await db().mailSettings.count()).toBe(0);
  });

  it("is saved by notification.manage only, audited; then a test email arrives, audited too", async () => {
    await expect(
      updateMailSettings(stagingManager, {
        host: "127.0.0.1",
        port: sink.port,
        security: "none",
        fromAddress: "greenlight@example.com",
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await audits("authz.denied")).some((a) => a.actorUserId === stagingManager.id)).toBe(true);

    await updateMailSettings(admin, {
      host: "127.0.0.1",
      port: String(sink.port),
      security: "none",
      fromAddress: "Greenlight <greenlight@example.com>",
    });
    expect(await db().mailSettings.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
      host: "127.0.0.1",
      port: sink.port,
      security: "none",
      enabled: true,
    });
    const [saved] = await audits("notification.mail.update");
    expect(saved?.after).toMatchObject({ host: "127.0.0.1", security: "none" });

    const result = await sendTestEmail(admin, { to: "ana@example.com" });
    expect(result.ok).toBe(true);
    expect(sink.received.at(-1)?.subject).toBe("Greenlight test email");
    const [tested] = await audits("notification.mail.test");
    expect(tested?.after).toMatchObject({ to: "ana@example.com", ok: true });
  });

  it("a test email that fails says why, and is audited as failed (no 500)", async () => {
    await db().mailSettings.update({ where: { id: 1 }, data: { port: 1 } });
    const result = await sendTestEmail(admin, { to: "ana@example.com" });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/127\.0\.0\.1:1/);
    expect((await audits("notification.mail.test")).at(-1)?.after).toMatchObject({ ok: false });
  });
});

describe("webhook channels", () => {
  const slack = { name: "Ops chat", format: "slack", urlEnvVar: "OPS_SLACK_URL", kinds: ["deployment.failed"] };

  it("an environment's channel is managed with environment.manage there; every environment's needs notification.manage", async () => {
    const saved = await saveEnvironmentChannel(stagingManager, { environmentKey: "staging", ...slack });
    expect(saved.created).toBe(true);
    const row = await db().notificationChannel.findUniqueOrThrow({ where: { id: saved.channelId } });
    expect(row).toMatchObject({
      environmentId: env.staging,
      urlEnvVar: "OPS_SLACK_URL",
      url: null,
      kinds: ["DEPLOYMENT_FAILED"],
    });
    expect((await audits("notification.channel.create")).at(-1)).toMatchObject({ environmentId: env.staging });

    await expect(
      saveEnvironmentChannel(stagingManager, { environmentKey: "production", ...slack }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(saveGlobalChannel(stagingManager, slack)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveEnvironmentChannel(viewer, { environmentKey: "staging", ...slack })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const global = await saveGlobalChannel(admin, {
      name: "Audit sink",
      format: "standard_webhooks",
      url: "https://hooks.example.com/greenlight",
      secretEnvVar: "AUDIT_SINK_SECRET",
    });
    expect(global.created).toBe(true);

    // the manager sees their environment's channel, not the global one; the admin sees the global one
    const mine = await readNotificationSettings(stagingManager, {});
    expect(mine.channels.map((c) => c.name)).toEqual(["Ops chat"]);
    expect(mine.mail).toBeNull();
    const theirs = await readNotificationSettings(admin, {});
    expect(theirs.channels.map((c) => c.name)).toEqual(["Audit sink"]);
    expect(theirs.channels[0]).toMatchObject({ secretEnvVar: "AUDIT_SINK_SECRET", secretSet: false });
  });

  it("refuses malformed channels: URL scheme, variable names, a missing secret, an unknown application", async () => {
    const bad = async (input: Record<string, unknown>, field: string) => {
      const e = await rejection(saveEnvironmentChannel(stagingManager, { environmentKey: "staging", ...input }));
      expect(e, JSON.stringify(input)).toBeInstanceOf(ValidationError);
      expect(Object.keys((e as ValidationError).fieldErrors)).toContain(field);
    };
    await bad({ ...slack, urlEnvVar: undefined, url: "javascript:alert(1)" }, "url");
    await bad({ ...slack, urlEnvVar: undefined, url: "ftp://hooks.example.com/x" }, "url");
    await bad({ ...slack, urlEnvVar: undefined, url: "/relative" }, "url");
    await bad({ ...slack, urlEnvVar: "ops-slack-url" }, "urlEnvVar");
    await bad({ ...slack, urlEnvVar: "GREENLIGHT_URL" }, "urlEnvVar");
    await bad({ ...slack, url: "https://hooks.slack.com/x" }, "url");
    await bad({ ...slack, format: "teams" }, "format");
    await bad({ ...slack, kinds: ["deployment.exploded"] }, "kinds.0");
    await bad({ ...slack, format: "standard_webhooks" }, "secretEnvVar");
    await bad({ ...slack, applicationKey: "nope" }, "applicationKey");
  });

  it("changes a channel in place, never another place's; deletes it, audited", async () => {
    const { channelId } = await saveEnvironmentChannel(stagingManager, {
      environmentKey: "staging",
      ...slack,
      name: "Before",
    });
    await saveEnvironmentChannel(stagingManager, {
      environmentKey: "staging",
      ...slack,
      channelId,
      name: "After",
      enabled: false,
    });
    expect(await db().notificationChannel.findUniqueOrThrow({ where: { id: channelId } })).toMatchObject({
      name: "After",
      enabled: false,
    });
    const updated = (await audits("notification.channel.update")).at(-1);
    expect(updated?.before).toMatchObject({ name: "Before" });
    // the global operation does not reach an environment's channel
    await expect(saveGlobalChannel(admin, { ...slack, channelId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteGlobalChannel(admin, { channelId })).rejects.toBeInstanceOf(NotFoundError);
    await deleteEnvironmentChannel(stagingManager, { environmentKey: "staging", channelId });
    expect(await db().notificationChannel.count({ where: { id: channelId } })).toBe(0);
    expect((await audits("notification.channel.delete")).at(-1)?.before).toMatchObject({ name: "After" });
  });
});

describe("deliveries page and send again", () => {
  it("lists deliveries by status for notification.manage only, and sends a failed one again (audited, 409 otherwise)", async () => {
    const channel = await insertChannel({ url: "https://hooks.example.com/x", secretEnvVar: "X_SECRET", name: "Hook" });
    const eventId = await insertEvent({ environmentId: env.production, title: "Failed in Production" });
    const failed = await insertDelivery(eventId, { webhookId: channel });
    await db().notificationDelivery.update({
      where: { id: failed },
      data: { status: "FAILED", attempts: 6, lastError: "HTTP 503", lastStatus: 503 },
    });
    const delivered = await insertDelivery(await insertEvent(), { webhookId: channel });
    await db().notificationDelivery.update({ where: { id: delivered }, data: { status: "DELIVERED", attempts: 1 } });

    await expect(listDeliveries(stagingManager, {})).rejects.toBeInstanceOf(ForbiddenError);
    const page = await listDeliveries(admin, { status: "failed" });
    expect(page.deliveries.map((d) => d.id)).toEqual([failed]);
    expect(page.deliveries[0]).toMatchObject({
      target: "Hook",
      eventTitle: "Failed in Production",
      lastError: "HTTP 503",
    });
    expect(page.counts).toMatchObject({ failed: 1, delivered: 1 });
    await expect(listDeliveries(admin, { status: "lost" })).rejects.toBeInstanceOf(ValidationError);

    await expect(resendDelivery(stagingManager, { deliveryId: failed })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resendDelivery(admin, { deliveryId: delivered })).rejects.toBeInstanceOf(ConflictError);
    await expect(resendDelivery(admin, { deliveryId: "not-a-uuid" })).rejects.toBeInstanceOf(ValidationError);
    await resendDelivery(admin, { deliveryId: failed });
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: failed } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
      lastError: null,
    });
    const jobs = await db().$queryRaw<{ data: { attempt: number } }[]>`
      select data from pgboss.job where name = 'notification-delivery' and data->>'deliveryId' = ${failed}`;
    expect(jobs.map((j) => j.data.attempt)).toEqual([1]);
    expect((await audits("notification.delivery.resend")).at(-1)).toMatchObject({
      entityId: failed,
      actorUserId: admin.id,
      environmentId: env.production,
    });
    await expect(resendDelivery(admin, { deliveryId: failed })).rejects.toBeInstanceOf(ConflictError);
  });
});
