"use client";

import { useId } from "react";
import { cancelScheduledFlagChangeAction, decideFlagChangeAction, withdrawFlagChangeAction } from "@/app/flags/actions";
import type { FlagChangeRequestView } from "@/lib/data/flags/change-requests";
import type { ScheduledFlagChangeView } from "@/lib/data/flags/scheduled";
import type { FlagStateValue } from "@/lib/data/flags/state";
import { ruleLines } from "@/lib/domain/flag-evaluation";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { FormOutcome, useServerForm } from "@/components/ui/form";
import { useStepUpAction } from "@/components/shell/step-up";
import { formatAbsolute } from "@/components/ui/format";

// Flag changes that wait: change requests (four eyes) and scheduled changes. Approvers approve
// or reject with a comment; authors withdraw; anyone who may change the flag there cancels a
// scheduled change. What shows is only what the server says the viewer may do; the server
// checks again.

export function stateWords(state: FlagStateValue): string {
  if (!state.enabled) return "Off";
  const share = state.rolloutPercent !== null && state.rolloutPercent < 100 ? ` for ${state.rolloutPercent}%` : "";
  const n = state.rules.length;
  return `On${share}${n ? ` + ${n} rule${n === 1 ? "" : "s"}` : ""}`;
}

const STATUS: Record<FlagChangeRequestView["status"], { label: string; className: string }> = {
  pending: { label: "Waiting for approval", className: "bg-amber-50 text-amber-800 ring-amber-300" },
  scheduled: { label: "Approved, scheduled", className: "bg-sky-50 text-sky-800 ring-sky-300" },
  applied: { label: "Applied", className: "bg-green-50 text-green-800 ring-green-300" },
  rejected: { label: "Rejected", className: "bg-red-50 text-red-800 ring-red-300" },
  stale: { label: "Stale", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  withdrawn: { label: "Withdrawn", className: "bg-slate-100 text-slate-700 ring-slate-300" },
};

function Decide({ request }: { request: FlagChangeRequestView }) {
  const {
    state: approved,
    pending: approving,
    formRef: approveRef,
    onSubmit: onApprove,
  } = useServerForm(useStepUpAction(decideFlagChangeAction));
  const {
    state: rejected,
    pending: rejecting,
    formRef: rejectRef,
    onSubmit: onReject,
  } = useServerForm(useStepUpAction(decideFlagChangeAction));
  const id = useId();
  const what = `${request.flagName} in ${request.environmentName}`;
  return (
    <div className="flex flex-wrap items-start gap-4">
      <form ref={approveRef} onSubmit={onApprove} className="space-y-1" aria-label={`Approve ${what}`}>
        <FormOutcome state={approved} />
        <input type="hidden" name="requestId" value={request.id} />
        <input type="hidden" name="environmentKey" value={request.environmentKey} />
        <input type="hidden" name="decision" value="approve" />
        <button type="submit" className={compactPrimaryButtonClass} disabled={approving}>
          {approving ? "Approving…" : "Approve"}
          <span className="sr-only"> the change of {what}</span>
        </button>
      </form>
      <form ref={rejectRef} onSubmit={onReject} className="space-y-1" aria-label={`Reject ${what}`}>
        <FormOutcome state={rejected} />
        <input type="hidden" name="requestId" value={request.id} />
        <input type="hidden" name="environmentKey" value={request.environmentKey} />
        <input type="hidden" name="decision" value="reject" />
        <label htmlFor={`${id}-why`} className="sr-only">
          Why reject the change of {what}
        </label>
        <div className="flex gap-2">
          <input
            id={`${id}-why`}
            name="comment"
            placeholder="Why reject it?"
            className="w-48 rounded border border-slate-300 px-2 py-1 text-sm"
          />
          <button type="submit" className={secondaryButtonClass} disabled={rejecting}>
            {rejecting ? "Rejecting…" : "Reject"}
            <span className="sr-only"> the change of {what}</span>
          </button>
        </div>
      </form>
    </div>
  );
}

function Withdraw({ request }: { request: FlagChangeRequestView }) {
  const { state, pending, formRef, onSubmit } = useServerForm(useStepUpAction(withdrawFlagChangeAction));
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-1">
      <FormOutcome state={state} />
      <input type="hidden" name="requestId" value={request.id} />
      <input type="hidden" name="environmentKey" value={request.environmentKey} />
      <button type="submit" className={secondaryButtonClass} disabled={pending}>
        {pending ? "Withdrawing…" : "Withdraw"}
        <span className="sr-only">
          {" "}
          my request for {request.flagName} in {request.environmentName}
        </span>
      </button>
    </form>
  );
}

export function FlagChangeRequests({
  requests,
  empty = "No flag change waits for approval, and none closed this week.",
}: {
  requests: FlagChangeRequestView[];
  /** what an empty list says */
  empty?: string;
}) {
  if (requests.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="space-y-3">
      {requests.map((r) => {
        const status = STATUS[r.status];
        return (
          <li
            key={r.id}
            id={`request-${r.id}`}
            aria-label={`Change of ${r.flagName} in ${r.environmentName}: ${status.label}`}
            className="rounded-lg bg-white p-4 ring-1 ring-slate-200"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="text-sm text-slate-900">
                <span className="font-medium">{r.flagName}</span>{" "}
                <span className="font-mono text-xs text-slate-500">{r.flagKey}</span> in{" "}
                <span className="font-medium">{r.environmentName}</span>: {stateWords(r.base)} →{" "}
                <span className="font-semibold">{stateWords(r.proposed)}</span>
              </p>
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${status.className}`}>
                {status.label}
              </span>
            </div>
            {r.proposed.rules.length ? (
              <pre className="mt-1 font-mono text-xs whitespace-pre-wrap text-slate-700">
                {ruleLines(r.proposed.rules)}
              </pre>
            ) : null}
            <p className="mt-1 text-sm text-slate-700">
              “{r.reason}” — {r.mine ? "you" : r.authorLabel}, {formatAbsolute(new Date(r.createdAt))}
              {r.applyAt ? `; to apply at ${formatAbsolute(new Date(r.applyAt))}` : ""}
            </p>
            <p className="mt-1 text-xs text-slate-600">
              {r.approvals.length} of {r.requiredApprovals} approval{r.requiredApprovals === 1 ? "" : "s"}
              {r.approvals.length ? `: ${r.approvals.map((a) => a.label).join(", ")}` : ""}
              {r.rejection
                ? `. Rejected by ${r.rejection.label}${r.rejection.comment ? `: “${r.rejection.comment}”` : ""}`
                : ""}
            </p>
            {r.outcome && r.status !== "rejected" ? <p className="mt-1 text-xs text-slate-600">{r.outcome}</p> : null}
            {r.baseMoved ? (
              <p
                role="note"
                className="mt-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900 ring-1 ring-amber-200"
              >
                The flag changed since this request was made: approving it will fail. The author can change the request
                against the state it has now.
              </p>
            ) : null}
            {r.canDecide || r.canWithdraw ? (
              <div className="mt-3 flex flex-wrap gap-4">
                {r.canDecide ? <Decide request={r} /> : null}
                {r.canWithdraw ? <Withdraw request={r} /> : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function Cancel({ change }: { change: ScheduledFlagChangeView }) {
  const { state, pending, formRef, onSubmit } = useServerForm(useStepUpAction(cancelScheduledFlagChangeAction));
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-1">
      <FormOutcome state={state} />
      <input type="hidden" name="scheduledChangeId" value={change.id} />
      <input type="hidden" name="environmentKey" value={change.environmentKey} />
      <button type="submit" className={secondaryButtonClass} disabled={pending}>
        {pending ? "Cancelling…" : "Cancel"}
        <span className="sr-only">
          {" "}
          the scheduled change of {change.flagName} in {change.environmentName}
        </span>
      </button>
    </form>
  );
}

const SCHEDULED_STATUS: Record<ScheduledFlagChangeView["status"], string> = {
  pending: "Waiting",
  applied: "Applied",
  cancelled: "Cancelled",
  failed: "Failed",
};

export function ScheduledFlagChanges({
  changes,
  empty = "No flag change is scheduled.",
}: {
  changes: ScheduledFlagChangeView[];
  empty?: string;
}) {
  if (changes.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
      {changes.map((c) => (
        <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
          <div>
            <p className="text-slate-900">
              <span className="font-medium">{c.flagName}</span> in {c.environmentName} →{" "}
              <span className="font-semibold">{stateWords(c.proposed)}</span> at{" "}
              <time dateTime={c.runAt}>{formatAbsolute(new Date(c.runAt))}</time>
            </p>
            <p className="text-xs text-slate-600">
              {SCHEDULED_STATUS[c.status]}
              {c.createdBy ? ` · set by ${c.createdBy}` : ""}
              {c.changeRequestId ? " · approved change request" : ""}
            </p>
            {c.failure && c.status === "failed" ? (
              <p role="note" className="mt-1 text-xs text-red-800">
                {c.failure}
              </p>
            ) : null}
          </div>
          {c.canCancel ? <Cancel change={c} /> : null}
        </li>
      ))}
    </ul>
  );
}
