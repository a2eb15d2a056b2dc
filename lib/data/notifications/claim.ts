import "server-only";
import { db } from "../../db";

// The first statement of an attempt: pending → sending, attempts + 1, only if the row still
// expects this attempt. A duplicate job, or one made stale by "send again" or the reconciler,
// matches nothing and sends nothing.

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  channel: "email" | "webhook";
  userId: string | null;
  webhookId: string | null;
  attempts: number;
}

export async function claimDelivery(deliveryId: string, attempt: number): Promise<ClaimedDelivery | null> {
  if (!Number.isInteger(attempt) || attempt < 1) return null;
  const [row] = await db().$queryRaw<ClaimedDelivery[]>`
    update "NotificationDelivery"
       set status = 'sending', attempts = attempts + 1, "claimedAt" = now(), "updatedAt" = now()
     where id = ${deliveryId}::uuid and status = 'pending' and attempts = ${attempt - 1}
    returning id, "eventId", channel::text as channel, "userId", "webhookId", attempts`;
  return row ?? null;
}
