"use server";

import { revalidatePath } from "next/cache";
import { markRead } from "@/lib/data/notifications/inbox";
import { updateNotificationPreferences, type NotificationPreferences } from "@/lib/data/notifications/preferences";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { requireActor } from "@/lib/session";

// The signed-in person's own inbox and choices. Each action names the signed-in person and
// hands its input to one lib/data function, which validates it and acts on their rows only.

/** Marks the given notifications (or all) read. */
export async function markReadAction(
  input: { ids: string[] } | { all: true },
): Promise<ActionResult<{ marked: number }>> {
  const actor = await requireActor();
  const result = await actionResult(() => markRead(actor, input));
  if (result.ok) revalidatePath("/notifications");
  return result;
}

/** Saves which events reach the person on which channel ("default" drops a choice). */
export async function savePreferencesAction(input: {
  kinds: Record<string, { inbox: boolean; email: boolean } | "default">;
}): Promise<ActionResult<NotificationPreferences>> {
  const actor = await requireActor();
  const result = await actionResult(() => updateNotificationPreferences(actor, input));
  if (result.ok) revalidatePath("/notifications/preferences");
  return result;
}
