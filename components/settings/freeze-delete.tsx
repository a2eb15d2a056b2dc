"use client";

import { deleteFreezeWindowAction } from "@/app/environments/[key]/settings/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FREEZE_FORM_HEADING } from "./freeze-form";

// Deleting a freeze window lets promotions through at once, so it takes two clicks.

export function SettingsFreezeDelete({
  environmentKey,
  window,
}: {
  environmentKey: string;
  window: { id: string; reason: string };
}) {
  return (
    <ConfirmButton
      label="Delete"
      subject={`freeze window “${window.reason}”`}
      consequence="Promotions are no longer held by it."
      confirmLabel="Yes, delete"
      pendingLabel="Deleting…"
      action={() => deleteFreezeWindowAction(environmentKey, window.id)}
      // the revalidated page no longer lists this window nor this button: focus moves on to
      // the form below rather than to the top of the page
      onDone={() => document.getElementById(FREEZE_FORM_HEADING)?.focus()}
    />
  );
}
