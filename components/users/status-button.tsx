"use client";

import { useId, useState, useTransition } from "react";
import { deactivateUserAction, reactivateUserAction } from "@/app/users/actions";
import {
  compactPrimaryButtonClass,
  dangerButtonClass,
  secondaryButtonClass,
  type FormState,
} from "@/components/ui/form";

// Deactivate or reactivate, in two steps: the first click asks, the second does it. Your own
// account cannot be deactivated, and the button says why instead of disappearing.

export function UsersStatusButton({
  user,
  self,
}: {
  user: { id: string; label: string; active: boolean };
  self: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const hintId = useId();
  const verb = user.active ? "Deactivate" : "Reactivate";

  if (self && user.active)
    return (
      <>
        <button
          type="button"
          aria-disabled="true"
          aria-describedby={hintId}
          title="You cannot deactivate your own account"
          className={secondaryButtonClass}
        >
          Deactivate<span className="sr-only"> {user.label}</span>
        </button>
        <span id={hintId} className="sr-only">
          You cannot deactivate your own account
        </span>
      </>
    );

  function confirm() {
    startTransition(async () => {
      const result: FormState<unknown> = await (user.active ? deactivateUserAction : reactivateUserAction)(user.id);
      if (result?.ok) {
        setConfirming(false);
        setFailure(null);
      } else setFailure(result?.message ?? "Something went wrong. Try again.");
    });
  }

  if (!confirming)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
        {verb}
        <span className="sr-only"> {user.label}</span>
      </button>
    );

  return (
    <div role="group" aria-label={`${verb} ${user.label}?`} className="flex flex-wrap items-center gap-2">
      <span className="text-xs text-slate-600">
        {user.active ? "Signed out at their next request." : "They can sign in again."}
      </span>
      <button
        type="button"
        // the step exists to be confirmed: focus goes straight to it
        autoFocus
        disabled={pending}
        onClick={confirm}
        className={user.active ? dangerButtonClass : compactPrimaryButtonClass}
      >
        {pending ? `${verb.replace(/e$/, "")}ing…` : `Yes, ${verb.toLowerCase()}`}
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
        <p role="alert" className="w-full text-xs text-red-700">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
