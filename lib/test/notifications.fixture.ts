import { randomUUID } from "node:crypto";
import { db } from "../db";
import { notificationKindEnum, webhookFormatEnum, type WebhookFormat } from "../data/enums";
import type { NotificationKind } from "../domain/notifications";
import { sendInTransaction } from "../queue/send";

// Notification events, channels and deliveries written straight into the tables, for the
// delivery tests and the benchmark (the fan-out is tested on its own).

export async function insertEvent(
  options: {
    kind?: NotificationKind;
    title?: string;
    body?: string;
    path?: string;
    environmentId?: string | null;
  } = {},
): Promise<string> {
  const event = await db().notificationEvent.create({
    data: {
      kind: notificationKindEnum.toDb(options.kind ?? "deployment.failed"),
      key: `test:${randomUUID()}`,
      title: options.title ?? "storefront 2.3.0 failed in Production",
      body: options.body ?? "The deploy failed at the smoke check.",
      path: options.path ?? "/releases/00000000-0000-0000-0000-000000000000",
      environmentId: options.environmentId ?? null,
      data: { application: "storefront", version: "2.3.0" },
    },
  });
  return event.id;
}

export async function insertChannel(options: {
  url?: string | null;
  urlEnvVar?: string | null;
  secretEnvVar?: string | null;
  format?: WebhookFormat;
  environmentId?: string | null;
  enabled?: boolean;
  name?: string;
}): Promise<string> {
  const channel = await db().notificationChannel.create({
    data: {
      name: options.name ?? `hook-${randomUUID().slice(0, 8)}`,
      format: webhookFormatEnum.toDb(options.format ?? "standard_webhooks"),
      url: options.url ?? null,
      urlEnvVar: options.urlEnvVar ?? null,
      secretEnvVar: options.secretEnvVar ?? null,
      environmentId: options.environmentId ?? null,
      enabled: options.enabled ?? true,
    },
  });
  return channel.id;
}

/** A pending delivery; with `job`, its first attempt's job too (as the fan-out sends it). */
export async function insertDelivery(
  eventId: string,
  to: { webhookId: string } | { userId: string },
  options: { job?: boolean } = {},
): Promise<string> {
  return db().$transaction(async (tx) => {
    const delivery = await tx.notificationDelivery.create({
      data:
        "webhookId" in to
          ? { eventId, channel: "WEBHOOK", targetId: to.webhookId, webhookId: to.webhookId }
          : { eventId, channel: "EMAIL", targetId: to.userId, userId: to.userId },
    });
    if (options.job) await sendInTransaction(tx, "delivery", { deliveryId: delivery.id, attempt: 1 });
    return delivery.id;
  });
}

export const deliveryRow = (id: string) => db().notificationDelivery.findUniqueOrThrow({ where: { id } });
