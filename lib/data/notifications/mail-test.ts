import "server-only";
import { z } from "zod";
import { messageIdFor, renderEmail, sendEmail, type MailSecurity } from "@/lib/notify/email";
import { absoluteLink } from "@/lib/notify/message";
import { env } from "@/lib/env";
import { publicUrl } from "@/lib/public-url";
import { audit, auditEventId } from "../audit/record";
import { sqlOf, transaction } from "../context";
import { ConflictError } from "../errors";
import { defineOperation } from "../operation";
import { emailAddress } from "./settings-input";

// "Send test email": one message through the saved mail server, now, outside any transaction;
// the answer (accepted, or what went wrong) is shown and audited. Nothing is retried.

export interface MailTestResult {
  ok: boolean;
  message: string;
}

export const sendTestEmail = defineOperation({
  name: "notification.mail.test",
  scope: "global",
  permission: "notification.manage",
  input: z.object({ to: emailAddress }),
  async run({ actor, input, ctx }): Promise<MailTestResult> {
    const settings = await sqlOf(ctx).mailSettings.findUnique({ where: { id: 1 } });
    if (!settings) throw new ConflictError("Save the mail server settings first");
    const base = publicUrl();
    const email = renderEmail({
      title: "Greenlight test email",
      body: `This message was sent from the notification settings to check the mail server ${settings.host}:${settings.port}.`,
      link: absoluteLink(base, "/notifications/settings"),
    });
    const outcome = await sendEmail(
      {
        host: settings.host,
        port: settings.port,
        security: (["tls", "starttls", "none"].includes(settings.security)
          ? settings.security
          : "starttls") as MailSecurity,
        username: settings.username,
        passwordEnvVar: settings.passwordEnvVar,
        fromAddress: settings.fromAddress,
      },
      input.to,
      email,
      {
        messageId: messageIdFor(auditEventId(), base.hostname),
        timeoutMs: env().GREENLIGHT_DELIVERY_TIMEOUT_SECONDS * 1000,
      },
    );
    const result = outcome.ok
      ? { ok: true, message: `Sent to ${input.to}: ${outcome.message}` }
      : { ok: false, message: outcome.error };
    await transaction(ctx, (tx) =>
      audit(tx, actor, {
        action: "notification.mail.test",
        entityType: "MailSettings",
        entityId: "1",
        after: { to: input.to, ok: result.ok, message: result.message },
      }),
    );
    return result;
  },
});
