import "server-only";
import { can } from "@/lib/domain/access";
import { NOTIFICATION_KINDS } from "@/lib/domain/notifications";
import type { MailServer, MailSecurity } from "@/lib/notify/email";
import { absoluteLink, type NotificationMessage } from "@/lib/notify/message";
import type { WebhookChannel, WebhookFormat } from "@/lib/notify/webhook";
import { publicUrl } from "@/lib/public-url";
import { db } from "../../db";
import { loadUserActor } from "../actors/load";
import { fromSql } from "../enums";
import type { ClaimedDelivery } from "./claim";

// What a claimed delivery needs to be sent, read as things are now: the recipient is checked
// again at delivery time (a person deactivated, or who lost the environment, since the fan-out
// gets nothing; a disabled channel sends nothing), so a retry an hour later obeys today's rights.

export type DeliveryTarget =
  { channel: "email"; to: string; server: MailServer } | { channel: "webhook"; webhook: WebhookChannel; name: string };

export type DeliveryContext =
  | { ok: true; message: NotificationMessage; target: DeliveryTarget }
  /** nothing may be sent: the reason goes on the row */
  | { ok: false; reason: string };

interface Row {
  kind: string;
  title: string;
  body: string;
  path: string;
  data: unknown;
  createdAt: Date;
  environmentId: string | null;
  environmentKey: string | null;
  environmentName: string | null;
  channelName: string | null;
  channelFormat: string | null;
  channelUrl: string | null;
  channelUrlEnvVar: string | null;
  channelSecretEnvVar: string | null;
  channelEnabled: boolean | null;
  mailHost: string | null;
  mailPort: number | null;
  mailSecurity: string | null;
  mailUsername: string | null;
  mailPasswordEnvVar: string | null;
  mailFrom: string | null;
  mailEnabled: boolean | null;
}

export async function deliveryContext(claimed: ClaimedDelivery): Promise<DeliveryContext> {
  const [row] = await db().$queryRaw<Row[]>`
    select ev.kind::text as kind, ev.title, ev.body, ev.path, ev.data, ev."createdAt",
      ev."environmentId", e.key as "environmentKey", e.name as "environmentName",
      c.name as "channelName", c.format::text as "channelFormat", c.url as "channelUrl",
      c."urlEnvVar" as "channelUrlEnvVar", c."secretEnvVar" as "channelSecretEnvVar", c.enabled as "channelEnabled",
      m.host as "mailHost", m.port as "mailPort", m.security as "mailSecurity", m.username as "mailUsername",
      m."passwordEnvVar" as "mailPasswordEnvVar", m."fromAddress" as "mailFrom", m.enabled as "mailEnabled"
    from "NotificationEvent" ev
    left join "Environment" e on e.id = ev."environmentId"
    left join "NotificationChannel" c on c.id = ${claimed.webhookId}::uuid
    left join "MailSettings" m on m.id = 1 and ${claimed.channel} = 'email'
    where ev.id = ${claimed.eventId}::uuid`;
  if (!row) return { ok: false, reason: "The event no longer exists" };
  const message: NotificationMessage = {
    eventId: claimed.eventId,
    kind: fromSql(NOTIFICATION_KINDS, row.kind, "notification kind"),
    title: row.title,
    body: row.body,
    link: absoluteLink(publicUrl(), row.path),
    createdAt: row.createdAt,
    environment:
      row.environmentKey && row.environmentName ? { key: row.environmentKey, name: row.environmentName } : null,
    data:
      row.data !== null && typeof row.data === "object" && !Array.isArray(row.data)
        ? (row.data as Record<string, unknown>)
        : {},
  };

  if (claimed.channel === "webhook") {
    if (!claimed.webhookId || row.channelFormat === null) return { ok: false, reason: "The channel was deleted" };
    if (!row.channelEnabled) return { ok: false, reason: `The channel “${row.channelName ?? ""}” is disabled` };
    const format: WebhookFormat = row.channelFormat === "slack" ? "slack" : "standard_webhooks";
    return {
      ok: true,
      message,
      target: {
        channel: "webhook",
        name: row.channelName ?? "",
        webhook: {
          format,
          url: row.channelUrl,
          urlEnvVar: row.channelUrlEnvVar,
          secretEnvVar: row.channelSecretEnvVar,
        },
      },
    };
  }

  if (!claimed.userId) return { ok: false, reason: "The recipient was deleted" };
  const person = await loadUserActor(claimed.userId);
  if (!person) return { ok: false, reason: "The recipient is deactivated or deleted" };
  if (row.environmentId && !can(person, "environment.view", row.environmentId))
    return { ok: false, reason: `The recipient can no longer view ${row.environmentName ?? "the environment"}` };
  if (!row.mailHost || row.mailPort === null || !row.mailFrom)
    return { ok: false, reason: "No mail server is configured (Notifications, Settings)" };
  if (!row.mailEnabled) return { ok: false, reason: "Email is switched off (Notifications, Settings)" };
  const security: MailSecurity =
    row.mailSecurity === "tls" || row.mailSecurity === "none" ? row.mailSecurity : "starttls";
  return {
    ok: true,
    message,
    target: {
      channel: "email",
      to: person.email,
      server: {
        host: row.mailHost,
        port: row.mailPort,
        security,
        username: row.mailUsername,
        passwordEnvVar: row.mailPasswordEnvVar,
        fromAddress: row.mailFrom,
      },
    },
  };
}
