"use client";

import { useState, useTransition, type ReactNode } from "react";
import { compactPrimaryButtonClass, dangerButtonClass, secondaryButtonClass } from "./buttons";

// An action that cannot be taken back takes two clicks: the first asks (saying what follows),
// the second does it. The question is a labelled group, focus goes straight to the confirming
// button, and a refusal is announced where the buttons are.

/** What a server action answers, as far as this button cares. */
export type ConfirmOutcome = { ok: true } | { ok: false; message: string } | null;

export function ConfirmButton({
  label,
  subject,
  consequence,
  confirmLabel,
  pendingLabel,
  tone = "danger",
  align = "end",
  action,
  onDone,
}: {
  /** the first button's visible text ("Revoke") */
  label: string;
  /** what it acts on, said to screen readers after the label and in the question ("token ci-main") */
  subject: string;
  /** what follows, shown beside the confirming button */
  consequence: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  tone?: "danger" | "primary";
  align?: "start" | "end";
  action: () => Promise<ConfirmOutcome>;
  /** after a success, e.g. to move focus when the button goes away with what it acted on */
  onDone?: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function cancel() {
    setConfirming(false);
    setFailure(null);
  }

  function confirm() {
    startTransition(async () => {
      const result = await action();
      if (!result?.ok) return setFailure(result?.message ?? "Something went wrong. Try again.");
      cancel();
      onDone?.();
    });
  }

  if (!confirming)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
        {label}
        <span className="sr-only"> {subject}</span>
      </button>
    );

  return (
    <div
      role="group"
      aria-label={`${label} ${subject}?`}
      className={`flex flex-wrap items-center gap-2 ${align === "end" ? "justify-end" : ""}`}
    >
      <span className="text-xs text-slate-600">{consequence}</span>
      <button
        type="button"
        // the step exists to be confirmed: focus goes straight to it
        autoFocus
        disabled={pending}
        onClick={confirm}
        className={tone === "danger" ? dangerButtonClass : compactPrimaryButtonClass}
      >
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" disabled={pending} className={secondaryButtonClass} onClick={cancel}>
        Cancel
      </button>
      {failure ? (
        <p role="alert" className={`w-full text-xs text-red-700 ${align === "end" ? "text-right" : ""}`}>
          {failure}
        </p>
      ) : null}
    </div>
  );
}
