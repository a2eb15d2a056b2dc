"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { deleteEnvironmentChannel, deleteGlobalChannel } from "@/lib/data/notifications/channel-delete";
import { saveEnvironmentChannel, saveGlobalChannel, type SavedChannel } from "@/lib/data/notifications/channel-save";
import { sendTestEmail, type MailTestResult } from "@/lib/data/notifications/mail-test";
import { updateMailSettings } from "@/lib/data/notifications/mail-update";

// Thin: each form goes to one lib/data operation, which validates, authorizes and audits.

const PATH = "/notifications/settings";

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function saveMailSettingsAction(_: unknown, form: FormData): Promise<ActionResult<{ saved: true }>> {
  const actor = await requireActor();
  const result = await actionResult(() =>
    updateMailSettings(actor, {
      host: text(form, "host"),
      port: text(form, "port"),
      security: text(form, "security"),
      username: text(form, "username"),
      passwordEnvVar: text(form, "passwordEnvVar"),
      fromAddress: text(form, "fromAddress"),
      enabled: form.get("enabled") === "on",
    }),
  );
  if (result.ok) revalidatePath(PATH);
  return result;
}

export async function sendTestEmailAction(_: unknown, form: FormData): Promise<ActionResult<MailTestResult>> {
  const actor = await requireActor();
  return actionResult(() => sendTestEmail(actor, { to: text(form, "to") }));
}

/** One form for both: "all environments" goes to the global operation, an environment to its own. */
export async function saveChannelAction(_: unknown, form: FormData): Promise<ActionResult<SavedChannel>> {
  const actor = await requireActor();
  const fields = {
    channelId: text(form, "channelId"),
    name: text(form, "name"),
    format: text(form, "format"),
    url: text(form, "urlSource") === "env" ? "" : text(form, "url"),
    urlEnvVar: text(form, "urlSource") === "env" ? text(form, "urlEnvVar") : "",
    secretEnvVar: text(form, "secretEnvVar"),
    applicationKey: text(form, "applicationKey"),
    kinds: form.getAll("kinds").filter((v): v is string => typeof v === "string"),
    enabled: form.get("enabled") === "on",
  };
  const environmentKey = text(form, "environmentKey");
  const result = await actionResult(() =>
    environmentKey ? saveEnvironmentChannel(actor, { ...fields, environmentKey }) : saveGlobalChannel(actor, fields),
  );
  if (result.ok) revalidatePath(PATH);
  return result;
}

export async function deleteChannelAction(
  environmentKey: string | null,
  channelId: string,
): Promise<ActionResult<{ channelId: string }>> {
  const actor = await requireActor();
  const result = await actionResult(() =>
    environmentKey
      ? deleteEnvironmentChannel(actor, { environmentKey, channelId })
      : deleteGlobalChannel(actor, { channelId }),
  );
  if (result.ok) revalidatePath(PATH);
  return result;
}
