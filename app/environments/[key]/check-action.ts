"use server";

import { revalidatePath } from "next/cache";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { checkWhatRuns } from "@/lib/jobs/version-check";
import { requireActor } from "@/lib/session";

// "Check what runs" after an interrupted deploy (release and environment pages). Thin: the
// check itself validates (422), authorizes deploy.trigger in the environment (403, recorded),
// asks the target and audits what it said (lib/jobs/version-check.ts).

export async function checkWhatRunsAction(input: {
  environmentKey: string;
  applicationId: string;
}): Promise<ActionResult<{ outcome: string; message: string }>> {
  const actor = await requireActor();
  const result = await actionResult(() => checkWhatRuns(actor, input));
  if (!result.ok) return result;
  // the board, the release pages and the environment page all show what runs
  revalidatePath("/", "layout");
  return { ok: true, data: { outcome: result.data.outcome, message: result.data.message } };
}
