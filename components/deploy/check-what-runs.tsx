"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { checkWhatRunsAction } from "@/app/environments/[key]/check-action";
import { secondaryButtonClass } from "@/components/ui/buttons";

// "Check what runs": asks the environment's deploy target which version it serves (where it can
// tell) and records the answer. The result is said in a live region, present before it changes.

export function CheckWhatRunsButton({
  environmentKey,
  applicationId,
  where,
}: {
  environmentKey: string;
  applicationId: string;
  /** "storefront in Staging", for the button's accessible name */
  where: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [said, setSaid] = useState<{ ok: boolean; message: string } | null>(null);

  function check() {
    setSaid(null);
    startTransition(async () => {
      const result = await checkWhatRunsAction({ environmentKey, applicationId });
      setSaid({
        ok: result.ok && result.data.outcome === "recorded",
        message: result.ok ? result.data.message : result.message,
      });
      if (result.ok) router.refresh();
    });
  }

  return (
    <div className="mt-2 space-y-1.5">
      <button
        type="button"
        onClick={check}
        disabled={pending}
        aria-label={`Check what runs: ${where}`}
        className={secondaryButtonClass}
      >
        {pending ? "Asking the target…" : "Check what runs"}
      </button>
      <p role="status" className={said ? (said.ok ? "text-sm text-green-800" : "text-sm text-slate-700") : "sr-only"}>
        {said?.message ?? ""}
      </p>
    </div>
  );
}
