"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/session";
import { createFlag } from "@/lib/data/flags/create";
import { actionResult, type ActionResult } from "@/lib/data/result";

// Thin: the form goes to createFlag, which validates (422 per field), checks flag.manage and
// audits. Success never returns: the browser goes to the new flag's page.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function createFlagAction(_: unknown, form: FormData): Promise<ActionResult<never>> {
  const actor = await requireActor();
  const result = await actionResult(() =>
    createFlag(actor, {
      key: text(form, "key"),
      name: text(form, "name"),
      description: text(form, "description"),
      category: text(form, "category"),
      owner: text(form, "owner"),
    }),
  );
  if (!result.ok) return result;
  revalidatePath("/flags");
  redirect(`/flags/${encodeURIComponent(result.data.key)}`);
}
