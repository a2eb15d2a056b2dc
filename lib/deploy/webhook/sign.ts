import { Webhook } from "standardwebhooks";

// Standard Webhooks signing (https://www.standardwebhooks.com), done by the reference library so
// that receivers can verify with any implementation of the specification.

/**
 * The secrets an environment variable holds: one `whsec_…` secret, or several separated by
 * spaces while a key rotates (every event is signed with each, and a receiver holding either
 * one verifies it). Not ok: a sentence saying what to fix, without the secret in it.
 */
export function parseSecrets(
  value: string,
  name: string,
): { ok: true; secrets: Webhook[] } | { ok: false; reason: string } {
  const parts = value.split(/\s+/).filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, reason: `secret environment variable ${name} is empty` };
  const secrets: Webhook[] = [];
  for (const [i, part] of parts.entries()) {
    const which = parts.length > 1 ? `secret ${i + 1} of ${parts.length} in ${name}` : `the secret in ${name}`;
    if (!part.startsWith("whsec_"))
      return { ok: false, reason: `${which} does not start with whsec_: use a Standard Webhooks secret` };
    try {
      secrets.push(new Webhook(part));
    } catch {
      return { ok: false, reason: `${which} is not whsec_ followed by base64` };
    }
  }
  return { ok: true, secrets };
}

/** The webhook-signature header: one v1 signature per secret, separated by spaces. */
export function signatureHeader(secrets: Webhook[], id: string, at: Date, body: string): string {
  return secrets.map((s) => s.sign(id, at, body)).join(" ");
}

/** A new message id; redeliveries of one message keep theirs, so receivers can drop repeats. */
export function newWebhookId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}
