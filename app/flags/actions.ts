"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { updateFlagState, type FlagChangeOutcome } from "@/lib/data/flags/toggle";
import {
  approveFlagChange,
  editFlagChange,
  rejectFlagChange,
  withdrawFlagChange,
  type DecisionOutcome,
} from "@/lib/data/flags/change-requests";
import { cancelScheduledFlagChange } from "@/lib/data/flags/scheduled";
import { actionResult, type ActionResult } from "@/lib/data/result";

// Thin: each action reads its form, and the operation validates (422 per field), authorizes
// (flag.toggle / flag.approve there, environment.manage for an override) and audits.

function reader(form: FormData) {
  return (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
}

const optional = (value: string) => (value.trim() === "" ? undefined : value);

function refresh(environmentKey?: string) {
  revalidatePath("/flags", "layout");
  if (environmentKey) revalidatePath(`/environments/${encodeURIComponent(environmentKey)}`);
}

/** The grid's cell editor: the whole state of one flag in one environment, now or at a time. */
export async function updateFlagCellAction(_: unknown, form: FormData): Promise<ActionResult<FlagChangeOutcome>> {
  const actor = await requireActor();
  const text = reader(form);
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
      reason: optional(text("reason")),
      applyAt: optional(text("applyAt")),
      breakGlass: form.get("breakGlass") === "on",
    }),
  );
  if (result.ok) refresh(environmentKey);
  return result;
}

/** The author changes their pending request (its approvals are withdrawn). */
export async function editFlagChangeAction(
  _: unknown,
  form: FormData,
): Promise<ActionResult<{ requestId: string; approvalsWithdrawn: number }>> {
  const actor = await requireActor();
  const text = reader(form);
  const share = text("rolloutPercent").trim();
  const result = await actionResult(() =>
    editFlagChange(actor, {
      requestId: text("requestId"),
      enabled: form.get("enabled") === "on",
      rolloutPercent: share === "" ? null : Number(share),
      rules: text("rules"),
      reason: text("reason"),
      applyAt: optional(text("applyAt")) ?? null,
    }),
  );
  if (result.ok) refresh(text("environmentKey"));
  return result;
}

export async function decideFlagChangeAction(_: unknown, form: FormData): Promise<ActionResult<DecisionOutcome>> {
  const actor = await requireActor();
  const text = reader(form);
  const input = { requestId: text("requestId"), comment: optional(text("comment")) };
  const result = await actionResult(() =>
    text("decision") === "reject"
      ? rejectFlagChange(actor, { ...input, comment: text("comment") })
      : approveFlagChange(actor, input),
  );
  // a stale request was marked (and committed) even though the approval failed: show it
  refresh(text("environmentKey"));
  return result;
}

export async function withdrawFlagChangeAction(
  _: unknown,
  form: FormData,
): Promise<ActionResult<{ requestId: string }>> {
  const actor = await requireActor();
  const text = reader(form);
  const result = await actionResult(() => withdrawFlagChange(actor, { requestId: text("requestId") }));
  if (result.ok) refresh(text("environmentKey"));
  return result;
}

export async function cancelScheduledFlagChangeAction(
  _: unknown,
  form: FormData,
): Promise<ActionResult<{ scheduledChangeId: string }>> {
  const actor = await requireActor();
  const text = reader(form);
  const result = await actionResult(() =>
    cancelScheduledFlagChange(actor, { scheduledChangeId: text("scheduledChangeId") }),
  );
  if (result.ok) refresh(text("environmentKey"));
  return result;
}
