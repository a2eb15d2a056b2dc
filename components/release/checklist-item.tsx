"use client";

import { useId } from "react";
import type { ChecklistFact } from "@/lib/data/promotion/gate-facts";
import { ChecklistRow } from "@/components/checklist/checklist-row";
import { CHECK_STATUS_WORDS } from "@/lib/domain/checks";

// One item of a release's checklist (the row itself: components/checklist/checklist-row.tsx),
// with whether it is required. An item a CI check ticks says which check and how it stands,
// with a link to its run; a CI-only item cannot be ticked by hand.

export interface ShownItem extends ChecklistFact {
  /** stable across the first tick, which gives the release its own copy of the items */
  key: string;
  pending: boolean;
  /** changed here and not yet confirmed by a fresh read of the page */
  local: boolean;
}

export function ReleaseChecklistItem({
  item,
  mayTick,
  noTickId,
  now,
  onToggle,
  onSaveNote,
}: {
  item: ShownItem;
  mayTick: boolean;
  /** the sentence that says why the box cannot be ticked */
  noTickId: string | undefined;
  now: Date;
  onToggle: (checked: boolean) => void;
  onSaveNote: (note: string) => void;
}) {
  const checkId = useId();
  // a CI-only item is the check's alone: nobody ticks it by hand
  const mayTickThis = mayTick && !item.ciOnly;
  const status = item.check?.status ?? "missing";

  return (
    <ChecklistRow
      item={item}
      // a check's link is its note when the check ticked it: shown once, as the run's link
      note={item.note && item.note !== item.check?.url ? item.note : null}
      tickable={mayTickThis}
      pending={item.pending}
      describedBy={[item.checkName ? checkId : null, mayTick ? null : noTickId]}
      now={now}
      onToggle={onToggle}
      onSaveNote={onSaveNote}
      badge={
        <span className={`text-xs font-medium ${item.required ? "text-slate-700" : "text-slate-500"}`}>
          {item.required ? "required" : "optional"}
        </span>
      }
      details={
        item.checkName ? (
          <p id={checkId} className="mt-0.5 text-xs text-slate-600">
            {item.ciOnly ? "Ticked only by the CI check " : "Satisfied by the CI check "}
            <span className="font-mono">{item.checkName}</span>:{" "}
            <span
              className={`font-medium ${status === "success" ? "text-green-800" : status === "failure" ? "text-red-700" : "text-slate-700"}`}
            >
              {CHECK_STATUS_WORDS[status]}
            </span>
            {item.check?.url ? (
              <>
                {" · "}
                <a href={item.check.url} rel="noreferrer" className="font-medium text-brand-700 hover:underline">
                  View run<span className="sr-only"> of {item.checkName}</span>
                </a>
              </>
            ) : null}
            {item.check?.summary ? <span className="block text-slate-600">{item.check.summary}</span> : null}
            <span className="block text-slate-500">
              {item.ciOnly
                ? "It is ticked when the check passes and unticked when it fails."
                : "A failing run unticks it, whoever ticked it."}
            </span>
          </p>
        ) : null
      }
    />
  );
}
