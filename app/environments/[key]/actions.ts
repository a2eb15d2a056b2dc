"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { updateFlagState, type FlagChangeOutcome } from "@/lib/data/flags/toggle";
import { actionResult, type ActionResult } from "@/lib/data/result";

export type FlagToggleState = ActionResult<FlagChangeOutcome> | null;

/** Turns a flag on or off in an environment. Every field is re-validated and re-authorized. */
export async function toggleFlagAction(_: FlagToggleState, form: FormData): Promise<FlagToggleState> {
  const actor = await requireActor();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const environmentKey = text("environmentKey");
  const result = await actionResult(() =>
    updateFlagState(actor, {
      environmentKey,
      flagKey: text("flagKey"),
      enabled: form.get("enabled") === "true",
      // where changes need approval the switch becomes a request, which needs a reason
      reason: text("reason").trim() === "" ? undefined : text("reason"),
    }),
  );
  if (result.ok) {
    revalidatePath(`/environments/${encodeURIComponent(environmentKey)}`);
    revalidatePath("/flags");
  }
  return result;
}
