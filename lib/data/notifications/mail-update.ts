import "server-only";
import { audit } from "../audit/record";
import { transaction } from "../context";
import { defineOperation } from "../operation";
import { mailSettingsInput } from "./settings-input";

// Saving the SMTP server notifications are mailed through (one row). The password is not part
// of it: the row names the environment variable that holds it.

export const updateMailSettings = defineOperation({
  name: "notification.mail.update",
  scope: "global",
  permission: "notification.manage",
  input: mailSettingsInput,
  run: ({ actor, input, ctx }) =>
    transaction(ctx, async (tx) => {
      const before = await tx.mailSettings.findUnique({ where: { id: 1 } });
      const data = {
        host: input.host,
        port: input.port,
        security: input.security,
        username: input.username ?? null,
        passwordEnvVar: input.passwordEnvVar ?? null,
        fromAddress: input.fromAddress,
        enabled: input.enabled,
        updatedById: actor.kind === "user" ? actor.id : null,
      };
      await tx.mailSettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
      const shown = (s: Omit<typeof data, "security"> & { security: string }) =>
        s && {
          host: s.host,
          port: s.port,
          security: s.security,
          username: s.username,
          passwordEnvVar: s.passwordEnvVar,
          fromAddress: s.fromAddress,
          enabled: s.enabled,
        };
      await audit(tx, actor, {
        action: "notification.mail.update",
        entityType: "MailSettings",
        entityId: "1",
        before: before ? shown(before) : {},
        after: shown(data),
      });
      return { saved: true as const };
    }),
});
