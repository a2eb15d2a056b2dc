import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { z } from "zod";

// What a webhook receiver sends back to POST /api/v1/deployments/{id}/events, signed the same way
// Greenlight signs its events. Verification is the reference library's; this module adds the
// reasons people can act on and the shape of the events. Dropping a repeated webhook-id is the
// caller's (it needs the database): the id is returned for that.

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes("\0"), "Contains a NUL byte");
/** the step index the event answers: -1 for the deploy, 0… for traffic steps */
const stepIndex = z.number().int().min(-1).max(1000);

export const webhookCallbackEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), message: text(4096), step: stepIndex.optional() }),
  // url / previewUrl: where the release runs and where the idle colour answers; kept only when
  // they are http(s) URLs (lib/domain/reported-urls.ts), ignored otherwise
  z.object({
    type: z.literal("step.succeeded"),
    step: stepIndex,
    message: text(4096).optional(),
    url: z.unknown().optional(),
    previewUrl: z.unknown().optional(),
  }),
  z.object({ type: z.literal("step.failed"), step: stepIndex, reason: text(4096) }),
]);

export type WebhookCallbackEvent = z.infer<typeof webhookCallbackEventSchema>;

export type CallbackVerification =
  { ok: true; webhookId: string; event: WebhookCallbackEvent } | { ok: false; status: 400 | 401; reason: string };

const TOLERANCE_SECONDS = 5 * 60;
const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;

export interface CallbackInput {
  /** the target's secrets (the environment variable's value split on spaces, whsec_…) */
  secrets: readonly string[];
  headers: Headers | Record<string, string | string[] | undefined>;
  /** the body exactly as received: the signature covers its bytes */
  rawBody: string | Uint8Array;
  /** the clock for the 5-minute window (the library checks the system clock as well) */
  now?: Date;
}

export function verifyWebhookCallback({
  secrets,
  headers,
  rawBody,
  now = new Date(),
}: CallbackInput): CallbackVerification {
  const h = plainHeaders(headers);
  const id = h["webhook-id"];
  const timestamp = h["webhook-timestamp"];
  if (!id || !timestamp || !h["webhook-signature"])
    return refuse(400, "Send the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks)");
  if (!WEBHOOK_ID.test(id)) return refuse(400, "The webhook-id header must be 1 to 256 printable characters");
  if (!/^\d{1,12}$/.test(timestamp)) return refuse(400, "The webhook-timestamp header must be Unix seconds");
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > TOLERANCE_SECONDS)
    return refuse(401, "The event is more than 5 minutes old: sign it with the current time");
  if (age < -TOLERANCE_SECONDS)
    return refuse(401, "The event is dated more than 5 minutes ahead: check the sender's clock");

  const body = typeof rawBody === "string" ? rawBody : Buffer.from(rawBody);
  let usable = 0;
  let verified = false;
  for (const secret of secrets) {
    let webhook: Webhook;
    try {
      webhook = new Webhook(secret);
    } catch {
      continue;
    }
    usable++;
    try {
      webhook.verify(body, h, { jsonParse: false });
      verified = true;
      break;
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      if (/too old|too new/i.test(e.message))
        return refuse(401, "The event's timestamp is more than 5 minutes from Greenlight's clock");
      if (/invalid signature headers/i.test(e.message))
        return refuse(400, "The webhook-timestamp header must be Unix seconds");
      // another secret (during a rotation) may still match
    }
  }
  if (usable === 0) return refuse(401, "This deploy target has no valid whsec_ secret to verify events with");
  if (!verified) return refuse(401, "The webhook-signature does not match: sign with the target's current secret");

  let json: unknown;
  try {
    json = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch {
    return refuse(400, "The body is not JSON");
  }
  const parsed = webhookCallbackEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".");
    return refuse(
      400,
      `The event is not one Greenlight knows (progress, step.succeeded, step.failed)${issue ? `: ${field ? `${field}: ` : ""}${issue.message}` : ""}`,
    );
  }
  return { ok: true, webhookId: id, event: parsed.data };
}

function refuse(status: 400 | 401, reason: string): CallbackVerification {
  return { ok: false, status, reason };
}

function plainHeaders(headers: CallbackInput["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
    return out;
  }
  for (const [key, value] of Object.entries(headers)) {
    const one = Array.isArray(value) ? value[0] : value;
    if (one !== undefined) out[key.toLowerCase()] = one;
  }
  return out;
}

/** The secrets in an environment variable's value: whsec_… secrets separated by spaces. */
export function secretsFromEnvValue(value: string | undefined): string[] {
  return (value ?? "").split(/\s+/).filter((s) => s !== "");
}
