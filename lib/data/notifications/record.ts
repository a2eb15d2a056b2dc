import "server-only";
import { DELIVERY_MAX_ATTEMPTS, isRetryable } from "@/lib/domain/notifications";
import type { SendOutcome } from "@/lib/notify/outcome";
import { sendInTransaction } from "@/lib/queue/send";
import { audit } from "../audit/record";
import { transaction, type Tx } from "../context";
import type { DeliveryOptions } from "./delivery-options";

// The last statement of an attempt, in one transaction: delivered; or back to pending with the
// next attempt's job (startAfter = the backoff) in the same transaction, so a retry is never
// lost between the two; or failed, with what the other side said. Only the attempt that holds
// the claim writes (the reconciler may have failed it as interrupted meanwhile). Each attempt is
// not audited; a delivery that ends failed is, as the system.

export type Recorded = "delivered" | "retrying" | "failed" | "stale";

export async function recordAttempt(
  deliveryId: string,
  attempt: number,
  outcome: SendOutcome,
  options: Pick<DeliveryOptions, "retryDelaySeconds">,
): Promise<Recorded> {
  return transaction({}, async (tx) => {
    if (outcome.ok) {
      const n = await tx.$executeRaw`
        update "NotificationDelivery"
           set status = 'delivered', "deliveredAt" = now(), "lastStatus" = ${outcome.status}, "lastError" = null,
               "updatedAt" = now()
         where id = ${deliveryId}::uuid and status = 'sending' and attempts = ${attempt}`;
      return n ? "delivered" : "stale";
    }
    const retry =
      (outcome.retryable ?? isRetryable({ status: outcome.status, network: outcome.network })) &&
      attempt < DELIVERY_MAX_ATTEMPTS;
    if (retry) {
      const delayMs = Math.max(0, Math.round(options.retryDelaySeconds(attempt) * 1000));
      const next = new Date(Date.now() + delayMs);
      const n = await tx.$executeRaw`
        update "NotificationDelivery"
           set status = 'pending', "nextAttemptAt" = ${next}, "claimedAt" = null, "lastError" = ${outcome.error},
               "lastStatus" = ${outcome.status}, "updatedAt" = now()
         where id = ${deliveryId}::uuid and status = 'sending' and attempts = ${attempt}`;
      if (!n) return "stale";
      await sendInTransaction(tx, "delivery", { deliveryId, attempt: attempt + 1 }, { startAfter: next });
      return "retrying";
    }
    return (await failDelivery(tx, deliveryId, outcome.error, outcome.status, { attempt })) ? "failed" : "stale";
  });
}

/**
 * Marks a delivery failed (from the state `guard` names, else from pending or sending) and
 * audits it as the system. False when it was not in that state.
 */
export async function failDelivery(
  tx: Tx,
  deliveryId: string,
  reason: string,
  status: number | null,
  /** attempt: only the claim of that attempt; stale: only a claim older than that many seconds */
  guard: { attempt?: number; stale?: number } = {},
): Promise<boolean> {
  const [row] = await tx.$queryRaw<
    {
      id: string;
      attempts: number;
      channel: string;
      title: string;
      kind: string;
      environmentId: string | null;
      target: string | null;
    }[]
  >`
    update "NotificationDelivery" d
       set status = 'failed', "lastError" = ${reason}, "lastStatus" = coalesce(${status}::int, d."lastStatus"),
           "updatedAt" = now()
      from "NotificationEvent" ev
     where d.id = ${deliveryId}::uuid and ev.id = d."eventId"
       and (case
              when ${guard.attempt ?? null}::int is not null
                then d.status = 'sending' and d.attempts = ${guard.attempt ?? null}::int
              when ${guard.stale ?? null}::int is not null
                then d.status = 'sending' and d."claimedAt" < now() - make_interval(secs => ${guard.stale ?? null}::int)
              else d.status in ('pending', 'sending') end)
    returning d.id, d.attempts, d.channel::text as channel, ev.title, ev.kind::text as kind, ev."environmentId",
      coalesce((select c.name from "NotificationChannel" c where c.id = d."webhookId"),
               (select u.email from "User" u where u.id = d."userId")) as target`;
  if (!row) return false;
  await audit(tx, null, {
    action: "notification.delivery.fail",
    entityType: "NotificationDelivery",
    entityId: row.id,
    environmentId: row.environmentId,
    after: {
      channel: row.channel,
      target: row.target,
      event: row.title,
      kind: row.kind,
      attempts: row.attempts,
      ...(status !== null ? { status } : {}),
      reason,
    },
  });
  return true;
}
