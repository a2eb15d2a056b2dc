"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition, type FormEvent } from "react";
import {
  abortDeploymentAction,
  cancelDeploymentAction,
  pauseDeploymentAction,
  promoteNowAction,
  resumeDeploymentAction,
} from "@/app/deployments/[id]/actions";
import type { DeploymentView } from "@/lib/data/deployments/view";
import { useStepUpAction } from "@/components/shell/step-up";
import { compactPrimaryButtonClass, dangerButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, useDialog } from "@/components/ui/dialog";
import { FieldErrors, inputClass } from "@/components/ui/fields";

// A person's hands on the rollout: pause, resume, abort (with an optional reason), promote now
// (skip the remaining pauses), cancel a queued deployment. Shown as the server said the viewer
// may use them now; the server decides again on every click (a 409 when the rollout moved on
// meanwhile, a 403, a second factor first where the environment asks), and its sentence is shown.

const MAX_REASON = 500;

type Answer = Awaited<ReturnType<typeof pauseDeploymentAction>>;

export function DeploymentControls({
  deploymentId,
  version,
  environmentName,
  controls,
}: {
  deploymentId: string;
  version: string;
  environmentName: string;
  controls: DeploymentView["controls"];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<string | null>(null);
  const pause = useStepUpAction(pauseDeploymentAction);
  const resume = useStepUpAction(resumeDeploymentAction);
  const promote = useStepUpAction(promoteNowAction);
  const cancel = useStepUpAction(cancelDeploymentAction);

  function settle(result: Answer) {
    if (result.ok) {
      setFailure(null);
      router.refresh();
    } else setFailure(result.message);
  }

  function press(action: (input: { deploymentId: string }) => Promise<Answer>) {
    setFailure(null);
    startTransition(async () => settle(await action({ deploymentId })));
  }

  const any = controls.pause || controls.resume || controls.abort || controls.promoteNow || controls.cancel;
  if (!any) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {controls.resume ? (
          <button type="button" className={compactPrimaryButtonClass} disabled={pending} onClick={() => press(resume)}>
            Resume rollout
          </button>
        ) : null}
        {controls.pause ? (
          <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => press(pause)}>
            Pause rollout
          </button>
        ) : null}
        {controls.promoteNow ? (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={pending}
            onClick={() => press(promote)}
            title="Skip the remaining pauses: each step follows as soon as its health checks pass"
          >
            Promote now
          </button>
        ) : null}
        {controls.abort ? (
          <AbortDialog
            deploymentId={deploymentId}
            version={version}
            environmentName={environmentName}
            onDone={settle}
          />
        ) : null}
        {controls.cancel ? (
          <ConfirmButton
            label="Cancel deployment"
            subject={`of ${version} to ${environmentName}`}
            consequence="It leaves the queue and never runs."
            confirmLabel="Cancel it"
            pendingLabel="Cancelling…"
            align="start"
            action={async () => {
              const result = await cancel({ deploymentId });
              if (result.ok) router.refresh();
              return result;
            }}
          />
        ) : null}
      </div>
      {failure ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

function AbortDialog({
  deploymentId,
  version,
  environmentName,
  onDone,
}: {
  deploymentId: string;
  version: string;
  environmentName: string;
  onDone: (result: Answer) => void;
}) {
  const id = useId();
  const dialog = useDialog();
  const form = useRef<HTMLFormElement>(null);
  const abort = useStepUpAction(abortDeploymentAction);
  const [errors, setErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("reason");
    const reason = typeof value === "string" ? value.trim() : "";
    setFailure(null);
    if (reason.length > MAX_REASON) return setErrors([`At most ${MAX_REASON} characters`]);
    setErrors([]);
    startTransition(async () => {
      const result = await abort({ deploymentId, ...(reason ? { reason } : {}) });
      if (result.ok) {
        dialog.close();
        form.current?.reset();
        return onDone(result);
      }
      const messages = result.fieldErrors?.reason;
      if (messages?.length) setErrors(messages);
      else setFailure(result.message);
    });
  }

  const errorId = `${id}-reason-error`;
  return (
    <>
      <button type="button" className={dangerButtonClass} onClick={dialog.open}>
        Abort rollout
      </button>
      <Dialog
        dialogRef={dialog.ref}
        title={`Abort the rollout of ${version} to ${environmentName}?`}
        description="Traffic goes back to what ran before; if nothing has shipped yet, the deployment simply fails."
      >
        <form ref={form} onSubmit={submit} noValidate className="space-y-4">
          <div>
            <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-700">
              Reason <span className="font-normal text-slate-500">(optional)</span>
            </label>
            <textarea
              id={`${id}-reason`}
              name="reason"
              rows={3}
              maxLength={MAX_REASON}
              aria-invalid={errors.length ? true : undefined}
              aria-describedby={errors.length ? errorId : undefined}
              className={inputClass}
            />
            <FieldErrors id={errorId} messages={errors} />
            <p className="mt-1 text-xs text-slate-500">Kept in the log of the deployment and in the audit log.</p>
          </div>
          {failure ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
              {failure}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" onClick={dialog.close} disabled={pending} className={secondaryButtonClass}>
              Keep it running
            </button>
            <button type="submit" disabled={pending} className={dangerButtonClass}>
              {pending ? "Aborting…" : "Abort and roll back"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
