"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import type { ChecklistFact } from "@/lib/data/promotion/gate-facts";
import { RelativeTime } from "@/components/ui/relative-time";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { inputClass } from "@/components/ui/fields";
import { CHECK_STATUS_WORDS } from "@/lib/domain/checks";

// One checklist item: a real checkbox named by the item's text, whether it is required, its
// hint, who ticked it and when, and a note that can be added when (or after) ticking it. An
// item a CI check ticks says which check and how it stands, with a link to its run; a CI-only
// item cannot be ticked by hand.

export interface ShownItem extends ChecklistFact {
  /** stable across the first tick, which gives the release its own copy of the items */
  key: string;
  pending: boolean;
  /** changed here and not yet confirmed by a fresh read of the page */
  local: boolean;
}

const MAX_NOTE = 500;

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
  const id = useId();
  const [noteOpen, setNoteOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  // a CI-only item is the check's alone: nobody ticks it by hand
  const mayTickThis = mayTick && !item.ciOnly;
  const describedBy =
    [item.hint ? `${id}-hint` : null, item.checkName ? `${id}-check` : null, mayTick ? null : noTickId]
      .filter(Boolean)
      .join(" ") || undefined;
  const status = item.check?.status ?? "missing";

  function saveNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = new FormData(event.currentTarget).get("note");
    onSaveNote(typeof note === "string" ? note : "");
    setNoteOpen(false);
    toggleRef.current?.focus();
  }

  return (
    <li className="flex gap-3 py-2.5">
      <input
        id={`${id}-box`}
        type="checkbox"
        checked={item.checked}
        disabled={!mayTickThis}
        aria-describedby={describedBy}
        // a second click while the first is on its way would race it: ignore it
        onClick={(e) => item.pending && e.preventDefault()}
        onChange={(e) => onToggle(e.target.checked)}
        className="mt-0.5 size-4 shrink-0 rounded border-slate-400 accent-green-700 disabled:cursor-not-allowed"
      />
      <div className="min-w-0 flex-1 text-sm">
        <div className="flex flex-wrap items-baseline gap-x-2">
          <label htmlFor={`${id}-box`} className="font-medium text-slate-900">
            {item.label}
          </label>
          <span className={`text-xs font-medium ${item.required ? "text-slate-700" : "text-slate-500"}`}>
            {item.required ? "required" : "optional"}
          </span>
          {item.pending ? <span className="text-xs text-slate-500">Saving…</span> : null}
        </div>
        {item.hint ? (
          <p id={`${id}-hint`} className="text-slate-600">
            {item.hint}
          </p>
        ) : null}
        {item.checked ? (
          <p className="text-xs text-slate-500">
            Ticked{item.checkedBy ? ` by ${item.checkedBy}` : ""}
            {item.checkedAt ? (
              <>
                {" "}
                <RelativeTime date={item.checkedAt} now={now} />
              </>
            ) : null}
          </p>
        ) : null}
        {item.checkName ? (
          <p id={`${id}-check`} className="mt-0.5 text-xs text-slate-600">
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
        ) : null}
        {item.note && item.note !== item.check?.url ? (
          <p className="mt-0.5 whitespace-pre-line text-slate-700">Note: {item.note}</p>
        ) : null}
        {mayTickThis ? (
          <button
            ref={toggleRef}
            type="button"
            aria-expanded={noteOpen}
            aria-controls={`${id}-note`}
            onClick={() => setNoteOpen((open) => !open)}
            className="mt-1 text-xs font-medium text-brand-700 hover:underline"
          >
            {item.note ? "Edit note" : "Add note"}
            <span className="sr-only"> on {item.label}</span>
          </button>
        ) : null}
        {noteOpen ? (
          <form id={`${id}-note`} onSubmit={saveNote} className="mt-2 flex flex-wrap items-end gap-2">
            <div className="min-w-48 flex-1">
              <label htmlFor={`${id}-note-input`} className="block text-xs font-medium text-slate-700">
                Note on “{item.label}”
              </label>
              <input
                id={`${id}-note-input`}
                name="note"
                type="text"
                maxLength={MAX_NOTE}
                defaultValue={item.note ?? ""}
                // opened by the button just pressed: the note is what the user came for
                autoFocus
                className={`${inputClass} mt-0.5 py-1.5`}
              />
            </div>
            <button type="submit" className={compactPrimaryButtonClass}>
              {item.checked ? "Save note" : "Tick with note"}
            </button>
            <button
              type="button"
              onClick={() => {
                setNoteOpen(false);
                toggleRef.current?.focus();
              }}
              className={secondaryButtonClass}
            >
              Cancel
            </button>
          </form>
        ) : null}
      </div>
    </li>
  );
}
