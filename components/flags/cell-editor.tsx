"use client";

import { useId, useRef, useState } from "react";
import { editFlagChangeAction, updateFlagCellAction } from "@/app/flags/actions";
import type { FlagChangeRequestView } from "@/lib/data/flags/change-requests";
import type { FlagGridCell } from "@/lib/data/flags/grid";
import { ruleLines } from "@/lib/domain/flag-evaluation";
import { primaryButtonClass } from "@/components/ui/buttons";
import { FieldErrors } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { useStepUpAction } from "@/components/shell/step-up";

// One flag in one environment, in full: on or off, the share of users who get it, and the
// targeting rules (one a line) that turn it on whatever the share. Behind "Edit" in the grid.
// Where flag changes need approval, saving makes a change request (with its reason); someone who
// may manage the environment can break glass instead, on the record. A change can wait for a
// time (the durable queue applies it). The author of a pending request edits it here.

/** datetime-local (the browser's time) → ISO with offset, which the server requires. */
function isoOf(local: string): string {
  if (!local) return "";
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function localOf(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function FlagCellEditor({
  environmentKey,
  environmentName,
  flagKey,
  flagName,
  cell,
  approvals = 0,
  canOverride = false,
  myRequest = null,
}: {
  environmentKey: string;
  environmentName: string;
  flagKey: string;
  flagName: string;
  cell: FlagGridCell;
  approvals?: number;
  canOverride?: boolean;
  /** the viewer's own pending request here: the form edits it */
  myRequest?: FlagChangeRequestView | null;
}) {
  const editing = myRequest !== null;
  // the edit answers { requestId, … } rather than an outcome: only "it worked" is read of it
  const action = editing ? (editFlagChangeAction as unknown as typeof updateFlagCellAction) : updateFlagCellAction;
  const { state, pending, formRef, onSubmit } = useServerForm(useStepUpAction(action));
  const details = useRef<HTMLDetailsElement>(null);
  const id = useId();
  const [applyAt, setApplyAt] = useState(localOf(myRequest?.applyAt ?? null));
  const [breakGlass, setBreakGlass] = useState(false);
  const shown = myRequest ? myRequest.proposed : cell;
  const shareErrors = errorsFor(state, "rolloutPercent");
  const ruleErrors = errorsFor(state, "rules");
  const reasonErrors = errorsFor(state, "reason");
  const applyErrors = errorsFor(state, "applyAt");
  const needsApproval = approvals > 0 && !breakGlass;
  const outcome = state?.ok ? state.data : null;
  const success = editing
    ? "Request changed: its approvals were withdrawn."
    : outcome?.outcome === "requested"
      ? "Change requested: it waits for approval."
      : outcome?.outcome === "scheduled"
        ? `Scheduled for ${new Date(outcome.runAt).toLocaleString()}.`
        : "Saved.";
  return (
    <details ref={details} className="text-xs">
      <summary className="cursor-pointer text-slate-600 underline decoration-dotted underline-offset-2 hover:text-slate-900">
        {editing ? "Edit my request" : approvals > 0 ? "Request a change" : "Edit"}
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
        <FormOutcome state={state} success={success} />
        <input type="hidden" name="environmentKey" value={environmentKey} />
        <input type="hidden" name="flagKey" value={flagKey} />
        {myRequest ? <input type="hidden" name="requestId" value={myRequest.id} /> : null}
        {approvals > 0 ? (
          <p className="text-slate-600">
            Changes in {environmentName} need {approvals === 1 ? "one approval" : `${approvals} approvals`} from someone
            else{editing ? "; changing the request withdraws those it has" : ""}.
          </p>
        ) : null}
        <div className="flex items-center gap-2">
          <input
            id={`${id}-on`}
            type="checkbox"
            name="enabled"
            defaultChecked={shown.enabled}
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
            defaultValue={shown.rolloutPercent ?? ""}
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
            defaultValue={ruleLines(shown.rules)}
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
        <div>
          <label htmlFor={`${id}-reason`} className="block font-medium text-slate-700">
            Reason{needsApproval || breakGlass || editing ? "" : " (optional)"}
          </label>
          <textarea
            id={`${id}-reason`}
            name="reason"
            rows={2}
            defaultValue={myRequest?.reason ?? ""}
            aria-invalid={reasonErrors.length > 0 || undefined}
            aria-describedby={reasonErrors.length ? `${id}-reason-error` : undefined}
            className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 text-xs"
          />
          <FieldErrors id={`${id}-reason-error`} messages={reasonErrors} />
        </div>
        {breakGlass ? null : (
          <div>
            <label htmlFor={`${id}-at`} className="block font-medium text-slate-700">
              Apply at (optional)
            </label>
            <input
              id={`${id}-at`}
              type="datetime-local"
              value={applyAt}
              onChange={(e) => setApplyAt(e.currentTarget.value)}
              aria-invalid={applyErrors.length > 0 || undefined}
              aria-describedby={`${id}-at-hint${applyErrors.length ? ` ${id}-at-error` : ""}`}
              className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 text-xs"
            />
            <input type="hidden" name="applyAt" value={isoOf(applyAt)} />
            <p id={`${id}-at-hint`} className="text-slate-500">
              Empty: {needsApproval ? "as soon as it is approved" : "now"}. Your time zone.
            </p>
            <FieldErrors id={`${id}-at-error`} messages={applyErrors} />
          </div>
        )}
        {canOverride && !editing ? (
          <div className="flex items-start gap-2 rounded bg-red-50 p-2 ring-1 ring-red-200">
            <input
              id={`${id}-glass`}
              type="checkbox"
              name="breakGlass"
              checked={breakGlass}
              onChange={(e) => setBreakGlass(e.currentTarget.checked)}
              className="mt-0.5 size-4 accent-red-700"
            />
            <label htmlFor={`${id}-glass`} className="text-red-900">
              Break glass: apply now without approval. It goes on the record with your reason.
            </label>
          </div>
        ) : null}
        <button type="submit" className={`${primaryButtonClass} px-3 py-1 text-xs`} disabled={pending}>
          {pending
            ? "Saving…"
            : editing
              ? "Change my request"
              : breakGlass
                ? "Apply now, overriding approval"
                : needsApproval
                  ? "Request approval"
                  : applyAt
                    ? "Schedule"
                    : "Save"}
        </button>
      </form>
    </details>
  );
}
