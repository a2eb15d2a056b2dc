import "server-only";
import { messageIdFor, renderEmail, sendEmail } from "@/lib/notify/email";
import type { NotificationMessage } from "@/lib/notify/message";
import { oneLine, type SendOutcome } from "@/lib/notify/outcome";
import { sendWebhook } from "@/lib/notify/webhook";
import { publicUrl } from "@/lib/public-url";
import { claimDelivery } from "./claim";
import { deliveryContext, type DeliveryTarget } from "./delivery-context";
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from "./delivery-options";
import { recordAttempt, type Recorded } from "./record";

// One attempt at one delivery, what the `delivery` job runs: claim (one UPDATE), read what to
// send and check the recipient again, send — outside any transaction, with a timeout — and
// record the outcome (delivered, retry later, or failed). A job whose attempt the row no longer
// expects does nothing.

export type DeliveryResult = Recorded | "nothing";

export async function deliverNotification(
  deliveryId: string,
  attempt: number,
  options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
): Promise<DeliveryResult> {
  const claimed = await claimDelivery(deliveryId, attempt);
  if (!claimed) return "nothing";
  let outcome: SendOutcome;
  try {
    const context = await deliveryContext(claimed);
    outcome = context.ok
      ? await send(context.target, context.message, deliveryId, options.timeoutMs)
      : { ok: false, status: null, network: false, retryable: false, error: context.reason };
  } catch (e) {
    // our own failure (the database went away mid-read): worth another attempt; the details go
    // to the log, not to the row a page shows
    console.error(`notification delivery ${deliveryId}: ${oneLine((e as Error).message, 500)}`);
    outcome = { ok: false, status: null, network: true, error: "Greenlight could not send it (see the server log)" };
  }
  return recordAttempt(deliveryId, claimed.attempts, outcome, options);
}

function send(target: DeliveryTarget, message: NotificationMessage, deliveryId: string, timeoutMs: number) {
  if (target.channel === "webhook") return sendWebhook(target.webhook, message, deliveryId, timeoutMs);
  return sendEmail(target.server, target.to, renderEmail(message), {
    messageId: messageIdFor(deliveryId, publicUrl().hostname),
    timeoutMs,
  });
}
