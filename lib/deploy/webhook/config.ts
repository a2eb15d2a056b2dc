import { z } from "zod";

// What a webhook target stores: where to post and which plain headers to add. The signing secret
// is never here: the target names the environment variable that holds it.

const noNul = (s: string) => !s.includes("\0");

/** A URL Greenlight may post to: http or https, with no credentials in it (they would be stored and shown). */
export function httpUrl(what: string) {
  return z
    .string({ error: `Enter the ${what}` })
    .trim()
    .min(1, `Enter the ${what}`)
    .max(2048, "Keep the URL under 2048 characters")
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "Enter a full URL, starting with https://" });
        return;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:")
        ctx.addIssue({ code: "custom", message: "Use an http:// or https:// URL" });
      else if (url.username || url.password)
        ctx.addIssue({
          code: "custom",
          message: "Remove the user name and password from the URL: settings are stored and shown, secrets are not",
        });
    });
}

/** Header names Greenlight sets itself, or that would carry a credential in stored settings. */
const RESERVED_HEADERS = new Set([
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "content-type",
  "content-length",
  "host",
  "connection",
  "transfer-encoding",
  "authorization",
  "cookie",
  "proxy-authorization",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

export const webhookConfigSchema = z.strictObject({
  url: httpUrl("URL Greenlight posts each step to"),
  headers: z
    .record(
      z
        .string()
        .regex(HEADER_NAME, "Not a valid header name")
        .refine(
          (name) => !RESERVED_HEADERS.has(name.toLowerCase()),
          "Greenlight sets this header itself, or it would hold a credential: the signature authenticates each event",
        ),
      z
        .string()
        .max(1024, "Keep header values under 1024 characters")
        .refine((v) => noNul(v) && !/[\r\n]/.test(v), "A header value cannot hold line breaks or NUL"),
    )
    .refine((h) => Object.keys(h).length <= 20, "At most 20 headers")
    .optional(),
});

export type WebhookConfig = z.output<typeof webhookConfigSchema>;
