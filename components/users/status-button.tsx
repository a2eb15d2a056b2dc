"use client";

import { useId } from "react";
import { deactivateUserAction, reactivateUserAction } from "@/app/users/actions";
import { secondaryButtonClass } from "@/components/ui/buttons";
import { ConfirmButton } from "@/components/ui/confirm-button";

// Deactivate or reactivate, in two steps: the first click asks, the second does it. Your own
// account cannot be deactivated, and the button says why instead of disappearing.

export function UsersStatusButton({
  user,
  self,
}: {
  user: { id: string; label: string; active: boolean };
  self: boolean;
}) {
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

  return (
    <ConfirmButton
      label={verb}
      subject={user.label}
      consequence={user.active ? "Signed out at their next request." : "They can sign in again."}
      confirmLabel={`Yes, ${verb.toLowerCase()}`}
      pendingLabel={`${verb.replace(/e$/, "")}ing…`}
      tone={user.active ? "danger" : "primary"}
      align="start"
      action={() => (user.active ? deactivateUserAction : reactivateUserAction)(user.id)}
    />
  );
}
