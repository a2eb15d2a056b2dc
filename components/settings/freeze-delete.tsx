"use client";

import { useState, useTransition } from "react";
import { deleteFreezeWindowAction } from "@/app/environments/[key]/settings/actions";
import { FREEZE_FORM_HEADING } from "./freeze-form";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/form";

// Deleting a freeze window lets promotions through at once, so it takes two clicks: the first
// asks, the second deletes.

export function SettingsFreezeDelete({
  environmentKey,
  window,
}: {
  environmentKey: string;
  window: { id: string; reason: string };
}) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function remove() {
    startTransition(async () => {
      const result = await deleteFreezeWindowAction(environmentKey, window.id);
      if (!result.ok) return setFailure(result.message);
      // the revalidated page no longer lists this window nor this button: focus moves on to
      // the form below rather than to the top of the page
      document.getElementById(FREEZE_FORM_HEADING)?.focus();
    });
  }

  if (!confirming)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
        Delete<span className="sr-only"> freeze window “{window.reason}”</span>
      </button>
    );

  return (
    <div
      role="group"
      aria-label={`Delete freeze window “${window.reason}”?`}
      className="flex flex-wrap items-center justify-end gap-2"
    >
      <span className="text-xs text-slate-600">Promotions are no longer held by it.</span>
      <button type="button" autoFocus disabled={pending} onClick={remove} className={dangerButtonClass}>
        {pending ? "Deleting…" : "Yes, delete"}
      </button>
      <button
        type="button"
        disabled={pending}
        className={secondaryButtonClass}
        onClick={() => {
          setConfirming(false);
          setFailure(null);
        }}
      >
        Cancel
      </button>
      {failure ? (
        <p role="alert" className="w-full text-right text-xs text-red-700">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
