import "server-only";
import { z } from "zod";
import { readSecret } from "@/lib/deploy/secret";
import { originOf } from "@/lib/notify/http";
import { can } from "@/lib/domain/access";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/domain/notifications";
import { sqlOf } from "../context";
import { fromSql, type WebhookFormat } from "../enums";
import { defineOperation } from "../operation";
import { MAIL_SECURITY, WEBHOOK_FORMATS } from "./settings-input";

// What the notification settings page shows its reader: the mail server (notification.manage),
// the channels for every environment (notification.manage) and the channels of each environment
// they manage (environment.manage there). Of a secret only whether its variable is set.

export interface MailSettingsView {
  host: string;
  port: number;
  security: (typeof MAIL_SECURITY)[number];
  username: string | null;
  passwordEnvVar: string | null;
  passwordSet: boolean | null;
  fromAddress: string;
  enabled: boolean;
}

export interface ChannelView {
  id: string;
  name: string;
  format: WebhookFormat;
  /** the stored URL's origin only; null when the URL is in a variable */
  urlOrigin: string | null;
  url: string | null;
  urlEnvVar: string | null;
  urlSet: boolean | null;
  secretEnvVar: string | null;
  secretSet: boolean | null;
  /** null: every environment */
  environmentKey: string | null;
  environmentName: string | null;
  applicationKey: string | null;
  kinds: NotificationKind[];
  enabled: boolean;
}

export interface NotificationSettingsView {
  canManageMail: boolean;
  mail: MailSettingsView | null;
  /** may add channels for every environment */
  canManageGlobal: boolean;
  /** the environments whose channels the reader manages */
  environments: { key: string; name: string }[];
  applications: { key: string; name: string }[];
  channels: ChannelView[];
  /** the reader's own address, for the test email */
  ownEmail: string | null;
}

const isSet = (name: string | null) => (name ? readSecret(name).ok : null);

export const readNotificationSettings = defineOperation({
  name: "notification.settings.read",
  scope: "visible",
  effect: "read",
  input: z.object({}).strict(),
  async run({ actor, ctx }): Promise<NotificationSettingsView> {
    const sql = sqlOf(ctx);
    const canManageMail = can(actor, "notification.manage", null);
    const all = await sql.$queryRaw<{ id: string; key: string; name: string }[]>`
      select id, key, name from "Environment" order by position, key`;
    const managed = all.filter((e) => can(actor, "environment.view", e.id) && can(actor, "environment.manage", e.id));
    const ids = managed.map((e) => e.id);
    const rows = await sql.$queryRaw<
      {
        id: string;
        name: string;
        format: string;
        url: string | null;
        urlEnvVar: string | null;
        secretEnvVar: string | null;
        environmentKey: string | null;
        environmentName: string | null;
        applicationKey: string | null;
        kinds: string[];
        enabled: boolean;
      }[]
    >`
      select c.id, c.name, c.format::text as format, c.url, c."urlEnvVar", c."secretEnvVar",
        e.key as "environmentKey", e.name as "environmentName", a.key as "applicationKey",
        c.kinds::text[] as kinds, c.enabled
      from "NotificationChannel" c
      left join "Environment" e on e.id = c."environmentId"
      left join "Application" a on a.id = c."applicationId"
      where (c."environmentId" is null and ${canManageMail}) or c."environmentId" = any(${ids}::uuid[])
      order by e.position nulls first, c.name, c.id`;
    const mail = canManageMail ? await sql.mailSettings.findUnique({ where: { id: 1 } }) : null;
    const applications =
      canManageMail || managed.length
        ? await sql.$queryRaw<{ key: string; name: string }[]>`select key, name from "Application" order by name, key`
        : [];
    return {
      canManageMail,
      canManageGlobal: canManageMail,
      mail: mail && {
        host: mail.host,
        port: mail.port,
        security: fromSql(MAIL_SECURITY, mail.security, "mail security"),
        username: mail.username,
        passwordEnvVar: mail.passwordEnvVar,
        passwordSet: isSet(mail.passwordEnvVar),
        fromAddress: mail.fromAddress,
        enabled: mail.enabled,
      },
      environments: managed.map(({ key, name }) => ({ key, name })),
      applications,
      ownEmail: actor.kind === "user" ? actor.email : null,
      channels: rows.map((r) => ({
        id: r.id,
        name: r.name,
        format: fromSql(WEBHOOK_FORMATS, r.format, "webhook format"),
        urlOrigin: r.url ? originOf(r.url) : null,
        url: r.url,
        urlEnvVar: r.urlEnvVar,
        urlSet: isSet(r.urlEnvVar),
        secretEnvVar: r.secretEnvVar,
        secretSet: isSet(r.secretEnvVar),
        environmentKey: r.environmentKey,
        environmentName: r.environmentName,
        applicationKey: r.applicationKey,
        kinds: r.kinds.map((k) => fromSql(NOTIFICATION_KINDS, k, "notification kind")),
        enabled: r.enabled,
      })),
    };
  },
});
