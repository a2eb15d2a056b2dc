import "server-only";
import type { Actor } from "@/lib/domain/access";
import type { Prisma } from "@/lib/generated/prisma/client";
import { originOf } from "@/lib/notify/http";
import { audit } from "../audit/record";
import { transaction, type Context, type Tx } from "../context";
import { environmentByKey } from "../environments/by-key";
import { notificationKindEnum, webhookFormatEnum } from "../enums";
import { NotFoundError, ValidationError } from "../errors";
import { defineOperation } from "../operation";
import { environmentChannelInput, globalChannelInput, type ChannelFields } from "./settings-input";

// Creating and changing webhook channels. A channel of one environment is that environment's
// setting (environment.manage there); one for every environment is Greenlight's
// (notification.manage). A channel keeps the place it was made for: changing it never moves it.

export interface SavedChannel {
  channelId: string;
  created: boolean;
}

async function applicationIdOf(tx: Tx, key: string | undefined): Promise<string | null> {
  if (!key) return null;
  const app = await tx.application.findUnique({ where: { key }, select: { id: true } });
  if (!app) throw new ValidationError("Choose an application", { applicationKey: ["No application has this key"] });
  return app.id;
}

/** What the trail shows of a channel: never a URL (a Slack URL is a secret), only where it is. */
function shown(c: {
  name: string;
  format: string;
  url: string | null;
  urlEnvVar: string | null;
  secretEnvVar: string | null;
  applicationKey: string | null;
  kinds: readonly string[];
  enabled: boolean;
}): Prisma.InputJsonObject {
  return {
    name: c.name,
    format: c.format,
    url: c.url ? originOf(c.url) : null,
    urlEnvVar: c.urlEnvVar,
    secretEnvVar: c.secretEnvVar,
    application: c.applicationKey,
    kinds: c.kinds.length ? [...c.kinds] : "all",
    enabled: c.enabled,
  };
}

async function saveChannel(
  actor: Actor,
  input: ChannelFields,
  environmentId: string | null,
  ctx: Context,
): Promise<SavedChannel> {
  return transaction(ctx, async (tx) => {
    const applicationId = await applicationIdOf(tx, input.applicationKey);
    const data = {
      name: input.name,
      format: webhookFormatEnum.toDb(input.format),
      url: input.url ?? null,
      urlEnvVar: input.url ? null : (input.urlEnvVar ?? null),
      secretEnvVar: input.secretEnvVar ?? null,
      applicationId,
      kinds: input.kinds.map(notificationKindEnum.toDb),
      enabled: input.enabled,
    };
    const after = shown({
      ...data,
      format: input.format,
      applicationKey: input.applicationKey ?? null,
      kinds: input.kinds,
    });
    if (!input.channelId) {
      const created = await tx.notificationChannel.create({
        data: { ...data, environmentId, createdById: actor.kind === "user" ? actor.id : null },
        select: { id: true },
      });
      await audit(tx, actor, {
        action: "notification.channel.create",
        entityType: "NotificationChannel",
        entityId: created.id,
        environmentId,
        after,
      });
      return { channelId: created.id, created: true };
    }
    const [existing] = await tx.$queryRaw<
      {
        id: string;
        name: string;
        format: string;
        url: string | null;
        urlEnvVar: string | null;
        secretEnvVar: string | null;
        applicationKey: string | null;
        kinds: string[];
        enabled: boolean;
      }[]
    >`
      select c.id, c.name, c.format::text as format, c.url, c."urlEnvVar", c."secretEnvVar",
        a.key as "applicationKey", c.kinds::text[] as kinds, c.enabled
      from "NotificationChannel" c left join "Application" a on a.id = c."applicationId"
      where c.id = ${input.channelId}::uuid and c."environmentId" is not distinct from ${environmentId}::uuid
      for update of c`;
    // a channel of another place is as unknown as one that never existed
    if (!existing) throw new NotFoundError("Channel");
    await tx.notificationChannel.update({ where: { id: existing.id }, data });
    await audit(tx, actor, {
      action: "notification.channel.update",
      entityType: "NotificationChannel",
      entityId: existing.id,
      environmentId,
      before: shown(existing),
      after,
    });
    return { channelId: existing.id, created: false };
  });
}

export const saveEnvironmentChannel = defineOperation({
  name: "notification.channel.save",
  scope: "environment",
  permission: "environment.manage",
  hidden: "not_found",
  input: environmentChannelInput,
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }) => saveChannel(actor, input, environment.id, ctx),
});

export const saveGlobalChannel = defineOperation({
  name: "notification.channel.global.save",
  scope: "global",
  permission: "notification.manage",
  input: globalChannelInput,
  run: ({ actor, input, ctx }) => saveChannel(actor, input, null, ctx),
});
