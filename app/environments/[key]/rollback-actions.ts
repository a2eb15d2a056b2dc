"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { releaseHold, rollbackEnvironment, type RollbackResult } from "@/lib/data/deployments/control";
import { actionResult, type ActionResult } from "@/lib/data/result";

// One-click rollback of an application in an environment, and releasing the hold it leaves.
// Thin: the operations validate (422: a reason is required to roll back), authorize
// (deploy.rollback, deploy.trigger; second factor where the environment asks), decide what to
// put back (409 when there is nothing) and audit. Nothing in the inputs is trusted.

export async function rollbackAction(input: {
  environmentKey: string;
  applicationId: string;
  reason: string;
}): Promise<ActionResult<RollbackResult>> {
  const actor = await requireActor();
  const result = await actionResult(() =>
    rollbackEnvironment(actor, {
      environmentKey: input?.environmentKey,
      application: input?.applicationId,
      reason: input?.reason,
    }),
  );
  // the board, the release pages and the environment page all show what runs and what is queued
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

export async function releaseHoldAction(input: {
  environmentKey: string;
  applicationId: string;
  reason?: string;
}): Promise<ActionResult<{ released: true }>> {
  const actor = await requireActor();
  const result = await actionResult(() =>
    releaseHold(actor, {
      environmentKey: input?.environmentKey,
      application: input?.applicationId,
      ...(input?.reason ? { reason: input.reason } : {}),
    }),
  );
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
