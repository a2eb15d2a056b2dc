"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { rollbackAction } from "@/app/environments/[key]/rollback-actions";
import { useStepUpAction } from "@/components/shell/step-up";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { Dialog, useDialog } from "@/components/ui/dialog";
import { FieldErrors, inputClass } from "@/components/ui/fields";
import { formatCount, plural } from "@/components/ui/format";

// One-click rollback of an application in an environment to the release that ran there before.
// A reason is required (the deployment and the audit log keep it); the server decides again what
// to put back and refuses with a sentence when it cannot (a rollout under way, nothing before).
// Once accepted, the new rollback deployment's page is where to watch it.

const MIN_REASON = 3;
const MAX_REASON = 500;

export function RollbackButton({
  environment,
  application,
  version,
  takesAway,
}: {
  environment: { key: string; name: string };
  application: { id: string; name: string };
  /** the release a rollback would put back, as the page read it */
  version: string;
  /** the releases it takes away (newest first, the first few named) */
  takesAway?: { total: number; versions: string[] };
}) {
  const id = useId();
  const router = useRouter();
  const dialog = useDialog();
  const rollback = useStepUpAction(rollbackAction);
  const [errors, setErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("reason");
    const reason = typeof value === "string" ? value.trim() : "";
    setFailure(null);
    if (reason.length < MIN_REASON) return setErrors([`Say why you roll back (at least ${MIN_REASON} characters)`]);
    if (reason.length > MAX_REASON) return setErrors([`At most ${MAX_REASON} characters`]);
    setErrors([]);
    startTransition(async () => {
      const result = await rollback({ environmentKey: environment.key, applicationId: application.id, reason });
      if (result.ok) {
        dialog.close();
        return router.push(`/deployments/${result.data.deploymentId}`);
      }
      const messages = result.fieldErrors?.reason;
      if (messages?.length) setErrors(messages);
      else setFailure(result.message);
    });
  }

  const errorId = `${id}-reason-error`;
  return (
    <>
      <button type="button" className={secondaryButtonClass} onClick={dialog.open}>
        Roll back to <span className="font-mono">{version}</span>
        <span className="sr-only">
          : {application.name} in {environment.name}
        </span>
      </button>
      <Dialog
        dialogRef={dialog.ref}
        title={`Roll back ${application.name} in ${environment.name} to ${version}?`}
        description={`${version} is deployed again; ${environment.name} then holds it, and promotions into it wait until someone releases the hold.`}
      >
        <form onSubmit={submit} noValidate className="space-y-4">
          {takesAway && takesAway.total > 0 ? (
            <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
              <p>
                This takes away {plural(takesAway.total, "release")} from {environment.name}:
              </p>
              <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 font-mono" aria-label="Releases taken away">
                {takesAway.versions.map((v) => (
                  <li key={v}>{v}</li>
                ))}
                {takesAway.total > takesAway.versions.length ? (
                  <li className="font-sans">and {formatCount(takesAway.total - takesAway.versions.length)} more</li>
                ) : null}
              </ul>
            </div>
          ) : null}
          <div>
            <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-700">
              Reason
            </label>
            <textarea
              id={`${id}-reason`}
              name="reason"
              rows={3}
              required
              minLength={MIN_REASON}
              maxLength={MAX_REASON}
              aria-invalid={errors.length ? true : undefined}
              aria-describedby={errors.length ? errorId : undefined}
              className={inputClass}
            />
            <FieldErrors id={errorId} messages={errors} />
            <p className="mt-1 text-xs text-slate-500">Kept with the rollback deployment and in the audit log.</p>
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
              {pending ? "Rolling back…" : "Roll back"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
