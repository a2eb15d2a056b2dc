import { isIP } from "node:net";
import { z } from "zod";
import { secretEnvVarProblem } from "@/lib/deploy/secret";
import { httpUrl } from "@/lib/deploy/webhook/config";
import { NOTIFICATION_KINDS } from "@/lib/domain/notifications";
import { environmentKey } from "../input";

// What the notification settings accept. Invalid input is a 422 naming the field; secrets are
// never accepted as values, only as the names of environment variables that hold them.

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const HOST_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*\\.?$`);

export const hostName = z
  .string({ error: "Enter the mail server's host name" })
  .trim()
  .min(1, "Enter the mail server's host name")
  .max(253, "A host name has at most 253 characters")
  .refine((v) => HOST_NAME.test(v) || isIP(v) !== 0, "Enter a host name like smtp.example.com, or an IP address");

/** The name of an environment variable that holds a secret (upper case, not one of Greenlight's own). */
export const envVarName = z
  .string()
  .trim()
  .max(100, "Keep the name under 100 characters")
  .regex(/^[A-Z_][A-Z0-9_]*$/, "Use capital letters, digits and underscores, not starting with a digit")
  .superRefine((v, ctx) => {
    const problem = secretEnvVarProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const ADDRESS = /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** An email address, bare or with a display name: `Greenlight <greenlight@example.com>`. */
export const fromAddress = z
  .string({ error: "Enter the address messages come from" })
  .trim()
  .min(1, "Enter the address messages come from")
  .max(200, "Keep the address under 200 characters")
  .refine((v) => {
    const named = /^([^<>"\r\n]{0,100})<([^<>]+)>$/.exec(v);
    return ADDRESS.test(named ? named[2]!.trim() : v);
  }, "Enter an address like greenlight@example.com or Greenlight <greenlight@example.com>");

export const emailAddress = z
  .string({ error: "Enter an email address" })
  .trim()
  .max(200, "Keep the address under 200 characters")
  .regex(ADDRESS, "Enter an address like someone@example.com");

export const MAIL_SECURITY = ["tls", "starttls", "none"] as const;

export const mailSettingsInput = z
  .object({
    host: hostName,
    port: z.coerce
      .number({ error: "Enter a port between 1 and 65535" })
      .int("Enter a whole number")
      .min(1, "Enter a port between 1 and 65535")
      .max(65535, "Enter a port between 1 and 65535"),
    security: z.enum(MAIL_SECURITY, { error: "Choose TLS, STARTTLS or none" }),
    username: z.preprocess(
      blankToUndefined,
      z.string().trim().max(200, "Keep the user name under 200 characters").optional(),
    ),
    passwordEnvVar: z.preprocess(blankToUndefined, envVarName.optional()),
    fromAddress,
    enabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.username && !v.passwordEnvVar)
      ctx.addIssue({
        code: "custom",
        path: ["passwordEnvVar"],
        message: "Name the environment variable that holds the password for this user",
      });
  });
export type MailSettingsInput = z.output<typeof mailSettingsInput>;

export const WEBHOOK_FORMATS = ["slack", "standard_webhooks"] as const;

const channelObject = z.object({
  /** a channel to change; without it, a new one */
  channelId: z.preprocess(blankToUndefined, z.uuid("Choose a channel").optional()),
  name: z
    .string({ error: "Name the channel" })
    .trim()
    .min(1, "Name the channel")
    .max(100, "Keep the name under 100 characters"),
  format: z.enum(WEBHOOK_FORMATS, { error: "Choose Slack or Standard Webhooks" }),
  url: z.preprocess(blankToUndefined, httpUrl("webhook URL").optional()),
  urlEnvVar: z.preprocess(blankToUndefined, envVarName.optional()),
  secretEnvVar: z.preprocess(blankToUndefined, envVarName.optional()),
  /** one application's events only; blank for every application */
  applicationKey: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  /** which kinds it receives; empty for all */
  kinds: z
    .array(z.enum(NOTIFICATION_KINDS, { error: "Choose among the listed events" }))
    .max(NOTIFICATION_KINDS.length)
    .default([]),
  enabled: z.boolean().default(true),
});

function checkChannel(v: z.output<typeof channelObject>, ctx: z.RefinementCtx) {
  if (!v.url === !v.urlEnvVar)
    ctx.addIssue({
      code: "custom",
      path: ["url"],
      message:
        "Give either the URL or the environment variable that holds it (a Slack URL is a secret: prefer the variable)",
    });
  if (v.format === "standard_webhooks" && !v.secretEnvVar)
    ctx.addIssue({
      code: "custom",
      path: ["secretEnvVar"],
      message: "Standard Webhooks events are signed: name the variable that holds the whsec_ secret",
    });
}

/** A channel for every environment (notification.manage). */
export const globalChannelInput = channelObject.superRefine(checkChannel);
/** A channel of one environment (environment.manage there). */
export const environmentChannelInput = channelObject.extend({ environmentKey }).superRefine(checkChannel);
export type ChannelFields = z.output<typeof globalChannelInput>;
