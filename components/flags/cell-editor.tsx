"use client";

import { useId, useRef } from "react";
import { updateFlagCellAction } from "@/app/flags/actions";
import type { FlagGridCell } from "@/lib/data/flags/grid";
import { ruleLines } from "@/lib/domain/flag-evaluation";
import { primaryButtonClass } from "@/components/ui/buttons";
import { FieldErrors } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { useStepUpAction } from "@/components/shell/step-up";

// One flag in one environment, in full: on or off, the share of users who get it, and the
// targeting rules (one a line) that turn it on whatever the share. Behind "Edit" in the grid.

export function FlagCellEditor({
  environmentKey,
  environmentName,
  flagKey,
  flagName,
  cell,
}: {
  environmentKey: string;
  environmentName: string;
  flagKey: string;
  flagName: string;
  cell: FlagGridCell;
}) {
  const { state, pending, formRef, onSubmit } = useServerForm(useStepUpAction(updateFlagCellAction));
  const details = useRef<HTMLDetailsElement>(null);
  const id = useId();
  const shareErrors = errorsFor(state, "rolloutPercent");
  const ruleErrors = errorsFor(state, "rules");
  return (
    <details ref={details} className="text-xs">
      <summary className="cursor-pointer text-slate-600 underline decoration-dotted underline-offset-2 hover:text-slate-900">
        Edit
        <span className="sr-only">
          {" "}
          {flagName} in {environmentName}
        </span>
      </summary>
      <form
        ref={formRef}
        onSubmit={onSubmit}
        noValidate
        aria-label={`${flagName} in ${environmentName}`}
        className="mt-2 w-64 space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200"
      >
        <FormOutcome state={state} success="Saved." />
        <input type="hidden" name="environmentKey" value={environmentKey} />
        <input type="hidden" name="flagKey" value={flagKey} />
        <div className="flex items-center gap-2">
          <input
            id={`${id}-on`}
            type="checkbox"
            name="enabled"
            defaultChecked={cell.enabled}
            className="size-4 accent-slate-900"
          />
          <label htmlFor={`${id}-on`} className="text-sm text-slate-900">
            On in {environmentName}
          </label>
        </div>
        <div>
          <label htmlFor={`${id}-share`} className="block font-medium text-slate-700">
            Share of users (%)
          </label>
          <input
            id={`${id}-share`}
            name="rolloutPercent"
            inputMode="numeric"
            defaultValue={cell.rolloutPercent ?? ""}
            placeholder="everyone"
            aria-invalid={shareErrors.length > 0 || undefined}
            aria-describedby={`${id}-share-hint${shareErrors.length ? ` ${id}-share-error` : ""}`}
            className="mt-0.5 w-24 rounded border border-slate-300 px-2 py-1 text-sm"
          />
          <p id={`${id}-share-hint`} className="text-slate-500">
            Empty: everyone. The same user always gets the same answer.
          </p>
          <FieldErrors id={`${id}-share-error`} messages={shareErrors} />
        </div>
        <div>
          <label htmlFor={`${id}-rules`} className="block font-medium text-slate-700">
            Targeting rules
          </label>
          <textarea
            id={`${id}-rules`}
            name="rules"
            rows={3}
            defaultValue={ruleLines(cell.rules)}
            placeholder={"country in FR, DE\nemail = qa@shop.example"}
            aria-invalid={ruleErrors.length > 0 || undefined}
            aria-describedby={`${id}-rules-hint${ruleErrors.length ? ` ${id}-rules-error` : ""}`}
            className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs"
          />
          <p id={`${id}-rules-hint`} className="text-slate-500">
            One a line; a match gets the flag whatever the share.
          </p>
          <FieldErrors id={`${id}-rules-error`} messages={ruleErrors} />
        </div>
        <button type="submit" className={`${primaryButtonClass} px-3 py-1 text-xs`} disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </form>
    </details>
  );
}
