import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { audit } from "../audit/record";
import { transaction, type Context } from "../context";
import { environmentByKey } from "../environments/by-key";
import { NotFoundError } from "../errors";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";

// Removing a webhook channel. Its deliveries go with it (cascade): a pending one is then never
// sent, and one already claimed finds its row gone.

async function deleteChannel(actor: Actor, channelId: string, environmentId: string | null, ctx: Context) {
  return transaction(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string; name: string; format: string }[]>`
      delete from "NotificationChannel"
      where id = ${channelId}::uuid and "environmentId" is not distinct from ${environmentId}::uuid
      returning id, name, format::text as format`;
    if (!row) throw new NotFoundError("Channel");
    await audit(tx, actor, {
      action: "notification.channel.delete",
      entityType: "NotificationChannel",
      entityId: row.id,
      environmentId,
      before: { name: row.name, format: row.format },
    });
    return { channelId: row.id };
  });
}

const channelId = z.uuid("Choose a channel");

export const deleteEnvironmentChannel = defineOperation({
  name: "notification.channel.delete",
  scope: "environment",
  permission: "environment.manage",
  hidden: "not_found",
  input: z.object({ environmentKey, channelId }),
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }) => deleteChannel(actor, input.channelId, environment.id, ctx),
});

export const deleteGlobalChannel = defineOperation({
  name: "notification.channel.global.delete",
  scope: "global",
  permission: "notification.manage",
  input: z.object({ channelId }),
  run: ({ actor, input, ctx }) => deleteChannel(actor, input.channelId, null, ctx),
});
