"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { archiveFlag, restoreFlag, type FlagArchiveResult } from "@/lib/data/flags/archive";
import { actionResult, type ActionResult } from "@/lib/data/result";

// Thin: the flag's key is bound by the page and checked again by the operation, which
// validates the reason (422), checks flag.manage and audits.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

async function run(
  flagKey: string,
  form: FormData,
  operation: typeof archiveFlag | typeof restoreFlag,
): Promise<ActionResult<FlagArchiveResult>> {
  const actor = await requireActor();
  const result = await actionResult(() => operation(actor, { flagKey, reason: text(form, "reason") }));
  if (result.ok) {
    revalidatePath("/flags");
    revalidatePath(`/flags/${encodeURIComponent(flagKey)}`);
  }
  return result;
}

export async function archiveFlagAction(flagKey: string, _: unknown, form: FormData) {
  return run(flagKey, form, archiveFlag);
}

export async function restoreFlagAction(flagKey: string, _: unknown, form: FormData) {
  return run(flagKey, form, restoreFlag);
}
