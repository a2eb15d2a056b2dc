import "server-only";
import { sendInTransaction } from "@/lib/queue/send";
import { db } from "../../db";
import { INTERRUPTED_DELIVERY, LOST_JOB_SECONDS, STALE_SENDING_SECONDS } from "./delivery-options";
import { failDelivery } from "./record";

// The delivery reconciler's two sweeps, run by the worker's reconcile loop. The row, not
// pg-boss's job table, is the evidence: it knows when the next attempt was due.

/**
 * Pending deliveries overdue by more than `graceSeconds` lost their job (expired, deleted, or
 * fetched by a worker that died before its claim): their next attempt's job is sent again. One
 * UPDATE marks them (nextAttemptAt = now) and the jobs go out in its transaction, so a second
 * reconciler skips them; a job that was merely late finds its attempt claimed and does nothing.
 */
export async function resendOverdueDeliveries(graceSeconds = LOST_JOB_SECONDS): Promise<number> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; attempts: number }[]>`
      update "NotificationDelivery" set "nextAttemptAt" = now(), "updatedAt" = now()
       where id in (select id from "NotificationDelivery"
                     where status = 'pending' and "nextAttemptAt" < now() - make_interval(secs => ${graceSeconds})
                     order by "nextAttemptAt" limit 500 for update skip locked)
      returning id, attempts`;
    for (const row of rows) await sendInTransaction(tx, "delivery", { deliveryId: row.id, attempt: row.attempts + 1 });
    return rows.length;
  });
}

/**
 * Deliveries left `sending` longer than `staleSeconds`: the worker died mid-attempt, so whether
 * the message arrived is unknown. They are failed with that reason, never sent again (a person
 * may "send again" from the deliveries page).
 */
export async function failInterruptedDeliveries(staleSeconds = STALE_SENDING_SECONDS): Promise<number> {
  const stale = await db().$queryRaw<{ id: string }[]>`
    select id from "NotificationDelivery"
     where status = 'sending' and "claimedAt" < now() - make_interval(secs => ${staleSeconds})
     order by "claimedAt" limit 500`;
  let failed = 0;
  for (const { id } of stale)
    if (await db().$transaction((tx) => failDelivery(tx, id, INTERRUPTED_DELIVERY, null, { stale: staleSeconds })))
      failed++;
  return failed;
}

/** When this process last re-sent an event's fan-out: a failing one is retried every 5 minutes, not every sweep. */
const fanOutResent = new Map<string, number>();
const FAN_OUT_RESEND_MS = 5 * 60_000;

/**
 * Events not fanned out two minutes after they were written lost their notify job (expired,
 * deleted, or its retries spent on a database that was away): it is sent again. Fanning out is
 * idempotent (the event is locked and marked done), so a job that was merely late costs nothing.
 * Only the last day's events: older news is no longer worth telling.
 */
export async function resendLostFanOuts(now = Date.now()): Promise<number> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      select id from "NotificationEvent"
       where "fannedOutAt" is null and "createdAt" < now() - interval '2 minutes'
         and "createdAt" > now() - interval '1 day'
       order by "createdAt" limit 500`;
    let sent = 0;
    for (const { id } of rows) {
      if (now - (fanOutResent.get(id) ?? 0) < FAN_OUT_RESEND_MS) continue;
      fanOutResent.set(id, now);
      await sendInTransaction(tx, "notify", { eventId: id });
      sent++;
    }
    for (const [id, at] of fanOutResent) if (now - at > 24 * 3_600_000) fanOutResent.delete(id);
    return sent;
  });
}
