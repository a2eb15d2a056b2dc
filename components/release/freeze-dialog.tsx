"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { promoteReleaseAction } from "@/app/releases/[id]/actions";
import type { PromoteResult } from "@/lib/data/promotion/promote";
import { Dialog, useDialog } from "@/components/ui/dialog";
import { FieldErrors, inputClass } from "@/components/ui/fields";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { useStepUp } from "@/components/shell/step-up";

// Promoting inside a freeze window is for people who manage the environment, and only with a
// reason, which the audit log and the deployment keep. The dialog asks for it; the server
// checks both again.

const REASON_REQUIRED = "Say why this cannot wait for the freeze to end";

export function ReleaseFreezeDialog({
  releaseId,
  version,
  environment,
  freezeDetail,
  onPromoted,
}: {
  releaseId: string;
  version: string;
  environment: { key: string; name: string };
  freezeDetail: string;
  onPromoted: (result: PromoteResult) => void;
}) {
  const id = useId();
  const dialog = useDialog();
  const { run } = useStepUp();
  const [reasonErrors, setReasonErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("overrideReason");
    const reason = typeof value === "string" ? value.trim() : "";
    setFailure(null);
    if (!reason) return setReasonErrors([REASON_REQUIRED]);
    setReasonErrors([]);
    startTransition(async () => {
      const result = await run(() =>
        promoteReleaseAction({ releaseId, environmentKey: environment.key, overrideReason: reason }),
      );
      if (result.ok) {
        dialog.close();
        return onPromoted(result.data);
      }
      const messages = result.fieldErrors?.overrideReason;
      if (messages?.length) setReasonErrors(messages);
      else setFailure(result.message);
    });
  }

  const errorId = `${id}-reason-error`;
  return (
    <>
      <button type="button" onClick={dialog.open} className={secondaryButtonClass}>
        Promote during freeze…
      </button>
      <Dialog
        dialogRef={dialog.ref}
        title={`Promote ${version} to ${environment.name} during the freeze?`}
        description={freezeDetail}
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <div>
            <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-700">
              Reason for the override
            </label>
            <textarea
              id={`${id}-reason`}
              name="overrideReason"
              rows={3}
              maxLength={500}
              required
              aria-invalid={reasonErrors.length ? true : undefined}
              aria-describedby={reasonErrors.length ? errorId : undefined}
              className={inputClass}
            />
            <FieldErrors id={errorId} messages={reasonErrors} />
            <p className="mt-1 text-xs text-slate-500">The reason is kept with the deployment and in the audit log.</p>
          </div>
          {failure ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
              {failure}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" onClick={dialog.close} disabled={pending} className={secondaryButtonClass}>
              Cancel
            </button>
            <button type="submit" disabled={pending} className={dangerButtonClass}>
              {pending ? "Promoting…" : "Promote during freeze"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
