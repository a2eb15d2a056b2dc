"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { decideApproval, withdrawApproval } from "@/lib/data/promotion/approvals";
import { tickChecklistItem } from "@/lib/data/promotion/tick";
import { promoteRelease, type PromoteResult } from "@/lib/data/promotion/promote";
import { actionResult, type ActionResult } from "@/lib/data/result";

// Thin: each action hands the signed-in user and the raw input to ONE lib/data operation,
// which validates it (422), authorizes it in the environment (403) and audits it. The input
// types below describe what the release page sends; nothing in them is trusted.

interface Target {
  releaseId: string;
  environmentKey: string;
}

/** The release page and the pipeline board both show gates, decisions and deployments. */
function revalidate(releaseId: string) {
  revalidatePath(`/releases/${encodeURIComponent(releaseId)}`);
  revalidatePath("/");
}

export async function decideApprovalAction(
  input: Target & { decision: "approved" | "rejected"; comment?: string },
): Promise<ActionResult<{ decision: "approved" | "rejected" }>> {
  const actor = await requireActor();
  const result = await actionResult(() => decideApproval(actor, input));
  if (!result.ok) return result;
  revalidate(input.releaseId);
  return { ok: true, data: { decision: result.data.decision } };
}

export async function withdrawApprovalAction(
  input: Target,
  // null: there was nothing to withdraw (already withdrawn, e.g. in another tab)
): Promise<ActionResult<{ withdrawn: "approved" | "rejected" | null }>> {
  const actor = await requireActor();
  const result = await actionResult(() => withdrawApproval(actor, input));
  if (result.ok) revalidate(input.releaseId);
  return result;
}

export interface TickResult {
  itemId: string;
  checked: boolean;
  note: string | null;
  checkedAt: Date | null;
}

export async function tickChecklistItemAction(
  input: Target & { itemId: string; checked: boolean; note?: string },
): Promise<ActionResult<TickResult>> {
  const actor = await requireActor();
  const result = await actionResult(() => tickChecklistItem(actor, input));
  if (!result.ok) return result;
  if (result.data.changed) revalidate(input.releaseId);
  const { itemId, checked, note, checkedAt } = result.data;
  return { ok: true, data: { itemId, checked, note, checkedAt } };
}

export async function promoteReleaseAction(
  input: Target & { overrideReason?: string },
): Promise<ActionResult<PromoteResult>> {
  const actor = await requireActor();
  const result = await actionResult(() => promoteRelease(actor, input));
  if (result.ok) revalidate(input.releaseId);
  return result;
}
