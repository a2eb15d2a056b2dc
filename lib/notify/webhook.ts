import { readSecret } from "../deploy/secret";
import { parseSecrets, signatureHeader } from "../deploy/webhook/sign";
import { postJson } from "./http";
import type { NotificationMessage } from "./message";
import type { SendOutcome } from "./outcome";

// Outgoing webhooks for notifications, in two formats:
//  - "slack": a Slack incoming-webhook message (also accepted by Mattermost, Rocket.Chat …):
//    `text` for notifications and `blocks` with the title, the body and a button to the page;
//  - "standard_webhooks": a JSON event signed per https://www.standardwebhooks.com, with
//    webhook-id = the delivery's id, so a receiver drops a retry it has already seen.
// The URL comes from the channel, or from the environment variable it names (a Slack URL is a
// secret); the signing secret always from an environment variable.

export type WebhookFormat = "slack" | "standard_webhooks";

export interface WebhookChannel {
  format: WebhookFormat;
  url: string | null;
  urlEnvVar: string | null;
  secretEnvVar: string | null;
}

/** Slack's escaping for text it formats: only &, < and > (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function slackPayload(message: NotificationMessage) {
  const title = slackEscape(cut(message.title, 300));
  const body = slackEscape(cut(message.body, 2500));
  return {
    text: `${title}: ${body}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${title}*\n${body}` } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Open in Greenlight", emoji: false },
            url: message.link,
          },
        ],
      },
    ],
  };
}

export function standardPayload(message: NotificationMessage, at: Date) {
  return {
    type: message.kind,
    timestamp: at.toISOString(),
    data: {
      eventId: message.eventId,
      title: message.title,
      body: message.body,
      url: message.link,
      environment: message.environment,
      occurredAt: message.createdAt.toISOString(),
      ...message.data,
    },
  };
}

/** The channel's URL now: stored, or read from the variable it names. */
export function channelUrl(channel: WebhookChannel): { ok: true; url: string } | { ok: false; reason: string } {
  if (channel.url) return { ok: true, url: channel.url };
  if (!channel.urlEnvVar) return { ok: false, reason: "The channel has no URL" };
  const read = readSecret(channel.urlEnvVar);
  if (!read.ok) return { ok: false, reason: read.reason.replace("this target", "this channel") };
  const value = read.value.trim();
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return { ok: true, url: value };
  } catch {
    // said below
  }
  return { ok: false, reason: `${channel.urlEnvVar} does not hold an http(s) URL` };
}

export async function sendWebhook(
  channel: WebhookChannel,
  message: NotificationMessage,
  deliveryId: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const target = channelUrl(channel);
  if (!target.ok) return { ok: false, status: null, network: false, retryable: false, error: target.reason };
  if (channel.format === "slack") return postJson(target.url, JSON.stringify(slackPayload(message)), {}, timeoutMs);

  if (!channel.secretEnvVar)
    return { ok: false, status: null, network: false, retryable: false, error: "No signing secret is configured" };
  const secret = readSecret(channel.secretEnvVar);
  if (!secret.ok) return { ok: false, status: null, network: false, retryable: false, error: secret.reason };
  const secrets = parseSecrets(secret.value, channel.secretEnvVar);
  if (!secrets.ok) return { ok: false, status: null, network: false, retryable: false, error: secrets.reason };
  const at = new Date();
  const body = JSON.stringify(standardPayload(message, at));
  return postJson(
    target.url,
    body,
    {
      "webhook-id": deliveryId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signatureHeader(secrets.secrets, deliveryId, at, body),
    },
    timeoutMs,
  );
}
