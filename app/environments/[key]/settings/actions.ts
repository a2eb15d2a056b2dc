"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import {
  createFreezeWindow,
  deleteDeployTarget,
  deleteFreezeWindow,
  saveDeployTarget,
  testDeployTarget,
  updateChecklistTemplate,
  updateEnvironmentSettings,
  updateRolloutSettings,
  type ConnectionTestResult,
  type DeployTargetRow,
  type EnvironmentSettings,
  type RolloutSettings,
} from "@/lib/data/environments/settings";
import { formToTarget, type TargetFormValues } from "@/lib/domain/deploy-target-form";
import type { ChecklistTemplateSummary, FreezeWindowSummary } from "@/lib/data/environments/read";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { createSdkKey, revokeSdkKey, type CreatedSdkKey, type SdkKeySummary } from "@/lib/data/flags/sdk-keys";

// Thin: the signed-in user and the form go to ONE lib/data operation, which validates,
// authorizes (environment.manage in that environment) and audits. Only the shape of the form
// is translated here (checkboxes, clock times); every value is checked again there.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function revalidate(environmentKey: string) {
  const base = `/environments/${encodeURIComponent(environmentKey)}`;
  revalidatePath(base);
  revalidatePath(`${base}/settings`);
}

export async function updateEnvironmentSettingsAction(
  _: unknown,
  form: FormData,
): Promise<ActionResult<EnvironmentSettings>> {
  const actor = await requireActor();
  const environmentKey = text(form, "environmentKey");
  const result = await actionResult(() =>
    updateEnvironmentSettings(actor, {
      environmentKey,
      name: text(form, "name"),
      description: text(form, "description"),
      color: text(form, "color"),
      url: text(form, "url"),
      protected: form.get("protected") === "on",
      requiredApprovals: text(form, "requiredApprovals"),
      preventSelfApproval: form.get("preventSelfApproval") === "on",
      flagChangeApprovals: text(form, "flagChangeApprovals"),
      soakMinutes: text(form, "soakMinutes"),
      autoPromote: form.get("autoPromote") === "on",
      requireSecondFactor: form.get("requireSecondFactor") === "on",
      secondFactorMaxAgeMinutes: text(form, "secondFactorMaxAgeMinutes"),
      position: text(form, "position"),
      // one per line; the operation splits, trims and checks each
      requiredChecks: text(form, "requiredChecks"),
      allowedBranches: text(form, "allowedBranches"),
      autoPromoteBranches: text(form, "autoPromoteBranches"),
    }),
  );
  if (result.ok) {
    revalidate(environmentKey);
    // the name and the order show on the pipeline and the environments list too
    revalidatePath("/environments");
    revalidatePath("/");
  }
  return result;
}

/** The checklist editor sends its whole list at once: the order of `items` is the new order. */
export async function updateChecklistTemplateAction(
  environmentKey: string,
  input: { name: string; timing: string; items: unknown[] },
): Promise<ActionResult<ChecklistTemplateSummary>> {
  const actor = await requireActor();
  const result = await actionResult(() => updateChecklistTemplate(actor, { ...input, environmentKey }));
  if (result.ok) revalidate(environmentKey);
  return result;
}

/** "16:30" as minutes after midnight; anything else is left for the operation to refuse. */
function minutesOf(clock: string): number | string {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : clock;
}

const WEEK = 7 * 24 * 60;

export async function createFreezeWindowAction(_: unknown, form: FormData): Promise<ActionResult<FreezeWindowSummary>> {
  const actor = await requireActor();
  const environmentKey = text(form, "environmentKey");
  const kind = text(form, "kind");
  const base = { environmentKey, kind, reason: text(form, "reason"), timeZone: text(form, "timeZone") };
  // a weekly window is entered as a start and an end in the week; the end may wrap past Sunday
  const start = minutesOf(text(form, "startTime"));
  const end = minutesOf(text(form, "endTime"));
  const startDay = Number(text(form, "weekday"));
  const endDay = Number(text(form, "endWeekday"));
  const duration =
    typeof start === "number" && typeof end === "number" && text(form, "endWeekday") !== ""
      ? (((endDay * 1440 + end - (startDay * 1440 + start)) % WEEK) + WEEK) % WEEK
      : "";
  const result = await actionResult(() =>
    createFreezeWindow(
      actor,
      kind === "weekly"
        ? { ...base, weekday: text(form, "weekday"), startMinute: start, durationMinutes: duration }
        : { ...base, startsAt: text(form, "startsAt"), endsAt: text(form, "endsAt") },
    ),
  );
  if (result.ok) revalidate(environmentKey);
  else if (result.fieldErrors?.durationMinutes)
    result.fieldErrors.durationMinutes = ["Choose when the window ends: a different day or time than its start"];
  return result;
}

export async function deleteFreezeWindowAction(
  environmentKey: string,
  freezeId: string,
): Promise<ActionResult<{ id: string }>> {
  const actor = await requireActor();
  const result = await actionResult(() => deleteFreezeWindow(actor, { environmentKey, freezeId }));
  if (result.ok) revalidate(environmentKey);
  return result;
}

/** The rollout editor sends its whole state at once; every value is checked by the operation. */
export async function updateRolloutSettingsAction(
  environmentKey: string,
  input: { strategy: string; steps: unknown[]; queuePolicy: string; healthChecks: unknown[] },
): Promise<ActionResult<RolloutSettings>> {
  const actor = await requireActor();
  const result = await actionResult(() => updateRolloutSettings(actor, { ...input, environmentKey }));
  if (result.ok) revalidate(environmentKey);
  return result;
}

/** The target form's text fields become the provider's settings here (lines → lists and pairs). */
export async function saveDeployTargetAction(
  environmentKey: string,
  application: string,
  values: TargetFormValues,
): Promise<ActionResult<DeployTargetRow>> {
  const actor = await requireActor();
  const shaped = formToTarget(values);
  if (!shaped.ok)
    return {
      ok: false,
      code: "validation",
      message: "Some deploy target settings need attention",
      fieldErrors: shaped.fieldErrors,
    };
  const result = await actionResult(() => saveDeployTarget(actor, { environmentKey, application, ...shaped.target }));
  if (result.ok) revalidate(environmentKey);
  return result;
}

export async function deleteDeployTargetAction(
  environmentKey: string,
  application: string,
): Promise<ActionResult<{ application: string }>> {
  const actor = await requireActor();
  const result = await actionResult(() => deleteDeployTarget(actor, { environmentKey, application }));
  if (result.ok) revalidate(environmentKey);
  return result;
}

/** Reaches the saved target (up to 15 s) and says what it answered; recorded in the audit trail. */
export async function testDeployTargetAction(
  environmentKey: string,
  application: string,
): Promise<ActionResult<ConnectionTestResult>> {
  const actor = await requireActor();
  return actionResult(() => testDeployTarget(actor, { environmentKey, application }));
}

export async function createSdkKeyAction(_: unknown, form: FormData): Promise<ActionResult<CreatedSdkKey>> {
  const actor = await requireActor();
  const environmentKey = text(form, "environmentKey");
  const result = await actionResult(() => createSdkKey(actor, { environmentKey, name: text(form, "name") }));
  if (result.ok) revalidate(environmentKey);
  return result;
}

export async function revokeSdkKeyAction(
  environmentKey: string,
  sdkKeyId: string,
): Promise<ActionResult<SdkKeySummary>> {
  const actor = await requireActor();
  const result = await actionResult(() => revokeSdkKey(actor, { environmentKey, sdkKeyId }));
  if (result.ok) revalidate(environmentKey);
  return result;
}
