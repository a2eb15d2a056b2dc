"use client";

import { useState, useTransition } from "react";
import { revokeTokenAction } from "@/app/tokens/actions";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/form";

// Revoking is final, so it takes two clicks: the first asks, the second revokes.

export function TokensRevokeButton({ token }: { token: { id: string; name: string } }) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function revoke() {
    startTransition(async () => {
      const result = await revokeTokenAction(token.id);
      if (result.ok) setConfirming(false);
      else setFailure(result.message);
    });
  }

  if (!confirming)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
        Revoke<span className="sr-only"> token {token.name}</span>
      </button>
    );

  return (
    <div
      role="group"
      aria-label={`Revoke token ${token.name}?`}
      className="flex flex-wrap items-center justify-end gap-2"
    >
      <span className="text-xs text-slate-600">Machines using it are refused at once.</span>
      <button type="button" autoFocus disabled={pending} onClick={revoke} className={dangerButtonClass}>
        {pending ? "Revoking…" : "Yes, revoke"}
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
