"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { updateFlagState } from "@/lib/data/flags/toggle";
import { actionResult, type ActionResult } from "@/lib/data/result";

// Thin: the flag grid's cell editor sends the whole state of one flag in one environment; the
// operation validates (422 per field), authorizes (flag.toggle there) and audits.

export async function updateFlagCellAction(
  _: unknown,
  form: FormData,
): Promise<ActionResult<{ flagKey: string; enabled: boolean; rolloutPercent: number | null }>> {
  const actor = await requireActor();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const share = text("rolloutPercent").trim();
  const environmentKey = text("environmentKey");
  const result = await actionResult(() =>
    updateFlagState(actor, {
      environmentKey,
      flagKey: text("flagKey"),
      enabled: form.get("enabled") === "on",
      // empty: everyone; anything else is checked as a number by the operation
      rolloutPercent: share === "" ? null : Number(share),
      rules: text("rules"),
    }),
  );
  if (result.ok) {
    revalidatePath("/flags");
    revalidatePath(`/environments/${encodeURIComponent(environmentKey)}`);
  }
  return result;
}
