"use client";

import { useState } from "react";
import { resetSecondFactorAction } from "@/app/users/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

// For someone who lost their phone and their recovery codes: the admin resets their second
// factor (audited), and they set up a new app from their Security page. Two clicks, like
// every change that cannot be taken back.

export function UsersSecondFactorReset({ user }: { user: { id: string; label: string; enrolled: boolean } }) {
  const [reset, setReset] = useState(false);
  if (reset)
    return (
      <p role="status" className="w-full text-right text-xs text-green-800">
        Second factor of {user.label} reset: they set up a new app from their Security page.
      </p>
    );
  if (!user.enrolled) return null;
  return (
    <ConfirmButton
      label="Reset second factor"
      subject={`of ${user.label}`}
      consequence="Their authenticator app and recovery codes stop working."
      confirmLabel="Yes, reset"
      pendingLabel="Resetting…"
      align="start"
      action={() => resetSecondFactorAction(user.id)}
      onDone={() => setReset(true)}
    />
  );
}
