"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { toggleFlagAction, type FlagToggleState } from "@/app/environments/[key]/actions";
import { useStepUp } from "@/components/shell/step-up";

/**
 * Turn one flag on or off here; disabled, with the reason, for people without flag.toggle.
 * Where the environment asks for a second factor, a code is asked for first (useStepUp). Where
 * flag changes need approval (`approvals` > 0), the switch asks why and becomes a change request.
 */
export function FlagToggle(props: {
  environmentKey: string;
  environmentName: string;
  flagKey: string;
  flagName: string;
  enabled: boolean;
  allowed: boolean;
  /** approvals a change here needs; 0: it applies at once */
  approvals?: number;
}) {
  const [state, setState] = useState<FlagToggleState>(null);
  const [asking, setAsking] = useState(false);
  const [pending, startTransition] = useTransition();
  const { run } = useStepUp();
  const hintId = useId();
  const reasonId = useId();
  const approvals = props.approvals ?? 0;
  const verb = props.enabled ? "Turn off" : "Turn on";
  // the same name wherever approval is asked: the request is the way it happens there, said when asked why
  const label = `${verb} ${props.flagName} in ${props.environmentName}`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!props.allowed || pending) return;
    if (approvals > 0 && !asking) {
      setAsking(true);
      setState(null);
      return;
    }
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await run(() => toggleFlagAction(null, form));
      setState(result);
      if (result?.ok) setAsking(false);
    });
  }

  const reasonErrors = state && !state.ok ? (state.fieldErrors?.reason ?? []) : [];
  return (
    <form onSubmit={submit} className="flex flex-col items-end gap-1">
      <input type="hidden" name="environmentKey" value={props.environmentKey} />
      <input type="hidden" name="flagKey" value={props.flagKey} />
      <input type="hidden" name="enabled" value={String(!props.enabled)} />
      {asking ? (
        <div className="flex w-56 flex-col items-stretch gap-1 text-left">
          <label htmlFor={reasonId} className="text-xs font-medium text-slate-700">
            Why {verb.toLowerCase()} {props.flagName}? {approvals === 1 ? "One approval" : `${approvals} approvals`}{" "}
            needed in {props.environmentName}.
          </label>
          <textarea
            id={reasonId}
            name="reason"
            rows={2}
            required
            autoFocus
            aria-invalid={reasonErrors.length > 0 || undefined}
            className="rounded border border-slate-300 px-2 py-1 text-xs"
          />
        </div>
      ) : null}
      <div className="flex gap-2">
        {asking ? (
          <button
            type="button"
            onClick={() => setAsking(false)}
            className="rounded-md px-2 py-1 text-xs text-slate-600 hover:text-slate-900"
          >
            Cancel
          </button>
        ) : null}
        <button
          type="submit"
          aria-label={asking ? `Send the request to ${verb.toLowerCase()} ${props.flagName}` : label}
          aria-disabled={!props.allowed || pending}
          aria-describedby={props.allowed ? undefined : hintId}
          title={props.allowed ? label : `You need the flag.toggle permission in ${props.environmentName}`}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-slate-900 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
        >
          {pending ? "Saving…" : asking ? "Request approval" : approvals > 0 ? `${verb}…` : verb}
        </button>
      </div>
      {props.allowed ? null : (
        <span id={hintId} className="sr-only">
          You need the flag.toggle permission in {props.environmentName}
        </span>
      )}
      {state && !state.ok ? (
        <p role="alert" className="max-w-56 text-xs text-red-700">
          {reasonErrors[0] ?? state.message}
        </p>
      ) : null}
      {state?.ok && state.data.outcome === "requested" ? (
        <p role="status" className="max-w-56 text-xs text-amber-800">
          Change requested: it waits for approval.
        </p>
      ) : null}
    </form>
  );
}
