"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import {
  abortDeployment,
  cancelDeployment,
  pauseDeployment,
  promoteNow,
  resumeDeployment,
  type ControlResult,
} from "@/lib/data/deployments/control";
import { tickDeploymentChecklistItem, type DeploymentTickResult } from "@/lib/data/deployments/checklist-tick";
import { actionResult, type ActionResult } from "@/lib/data/result";

// The deployment page's controls. Thin: each hands the signed-in user and the raw input to ONE
// lib/data operation, which validates it (422), authorizes deploy.trigger in the deployment's
// environment (403, second factor included), checks the state (409) and audits. Nothing in the
// input types below is trusted.

interface Control {
  deploymentId: string;
  reason?: string;
}

type Operation = (actor: Awaited<ReturnType<typeof requireActor>>, input: Control) => Promise<ControlResult>;

async function control(operation: Operation, input: Control): Promise<ActionResult<ControlResult>> {
  const actor = await requireActor();
  const result = await actionResult(() => operation(actor, input));
  if (result.ok) {
    revalidatePath(`/deployments/${encodeURIComponent(result.data.deploymentId)}`);
    // the board and the release pages show deployments under way too
    revalidatePath("/", "layout");
  }
  return result;
}

export async function pauseDeploymentAction(input: Control): Promise<ActionResult<ControlResult>> {
  return control(pauseDeployment, input);
}

export async function resumeDeploymentAction(input: Control): Promise<ActionResult<ControlResult>> {
  return control(resumeDeployment, input);
}

export async function abortDeploymentAction(input: Control): Promise<ActionResult<ControlResult>> {
  return control(abortDeployment, input);
}

export async function promoteNowAction(input: Control): Promise<ActionResult<ControlResult>> {
  return control(promoteNow, input);
}

export async function cancelDeploymentAction(input: Control): Promise<ActionResult<ControlResult>> {
  return control(cancelDeployment, input);
}

/**
 * Tick or untick one of the deployment's "during" or "after" checklist items (checklist.tick in
 * its environment; the operation validates, authorizes, checks when, locks and audits).
 */
export async function tickDeploymentChecklistAction(input: {
  deploymentId: string;
  itemId: string;
  checked: boolean;
  note?: string;
}): Promise<ActionResult<DeploymentTickResult>> {
  const actor = await requireActor();
  const result = await actionResult(() => tickDeploymentChecklistItem(actor, input));
  if (result.ok && result.data.changed) revalidatePath(`/deployments/${encodeURIComponent(result.data.deploymentId)}`);
  return result;
}
