import "server-only";
import { z } from "zod";
import { sendInTransaction } from "@/lib/queue/send";
import { audit } from "../audit/record";
import { transaction } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { defineOperation } from "../operation";

// "Send again" for a failed delivery: back to pending with its attempts at 0, and the first
// attempt's job, in one transaction with its audit row. Only a failed delivery: one pending or
// sending is still on its way, one delivered arrived (409).

export const resendDelivery = defineOperation({
  name: "notification.delivery.resend",
  scope: "global",
  permission: "notification.manage",
  input: z.object({ deliveryId: z.uuid("Choose a delivery") }),
  run: ({ actor, input, ctx }) =>
    transaction(ctx, async (tx) => {
      const [row] = await tx.$queryRaw<
        {
          id: string;
          status: string;
          title: string;
          environmentId: string | null;
          target: string | null;
          lastError: string | null;
        }[]
      >`
        select d.id, d.status::text as status, ev.title, ev."environmentId", d."lastError",
          coalesce((select c.name from "NotificationChannel" c where c.id = d."webhookId"),
                   (select u.email from "User" u where u.id = d."userId")) as target
        from "NotificationDelivery" d join "NotificationEvent" ev on ev.id = d."eventId"
        where d.id = ${input.deliveryId}::uuid
        for update of d`;
      if (!row) throw new NotFoundError("Delivery");
      if (row.status !== "failed")
        throw new ConflictError(`Only a failed delivery can be sent again; this one is ${row.status}`);
      await tx.$executeRaw`
        update "NotificationDelivery"
           set status = 'pending', attempts = 0, "nextAttemptAt" = now(), "claimedAt" = null,
               "deliveredAt" = null, "lastError" = null, "lastStatus" = null, "updatedAt" = now()
         where id = ${row.id}::uuid`;
      await sendInTransaction(tx, "delivery", { deliveryId: row.id, attempt: 1 });
      await audit(tx, actor, {
        action: "notification.delivery.resend",
        entityType: "NotificationDelivery",
        entityId: row.id,
        environmentId: row.environmentId,
        before: { status: "failed", lastError: row.lastError },
        after: { status: "pending", event: row.title, target: row.target ?? "(deleted)" },
      });
      return { deliveryId: row.id };
    }),
});
