"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { toggleFlagAction, type FlagToggleState } from "@/app/environments/[key]/actions";
import { useStepUp } from "@/components/shell/step-up";

/**
 * Turn one flag on or off here; disabled, with the reason, for people without flag.toggle.
 * Where the environment asks for a second factor, a code is asked for first (useStepUp).
 */
export function FlagToggle(props: {
  environmentKey: string;
  environmentName: string;
  flagKey: string;
  flagName: string;
  enabled: boolean;
  allowed: boolean;
}) {
  const [state, setState] = useState<FlagToggleState>(null);
  const [pending, startTransition] = useTransition();
  const { run } = useStepUp();
  const hintId = useId();
  const label = `${props.enabled ? "Turn off" : "Turn on"} ${props.flagName} in ${props.environmentName}`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!props.allowed || pending) return;
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await run(() => toggleFlagAction(null, form));
      setState(result);
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-col items-end gap-1">
      <input type="hidden" name="environmentKey" value={props.environmentKey} />
      <input type="hidden" name="flagKey" value={props.flagKey} />
      <input type="hidden" name="enabled" value={String(!props.enabled)} />
      <button
        type="submit"
        aria-label={label}
        aria-disabled={!props.allowed || pending}
        aria-describedby={props.allowed ? undefined : hintId}
        title={props.allowed ? label : `You need the flag.toggle permission in ${props.environmentName}`}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-slate-900 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
      >
        {pending ? "Saving…" : props.enabled ? "Turn off" : "Turn on"}
      </button>
      {props.allowed ? null : (
        <span id={hintId} className="sr-only">
          You need the flag.toggle permission in {props.environmentName}
        </span>
      )}
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
