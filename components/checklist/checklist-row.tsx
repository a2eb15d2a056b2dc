"use client";

import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { inputClass } from "@/components/ui/fields";

// One checklist item, wherever a checklist is ticked (a release's, in an environment; a
// deployment's, during and after it): a real checkbox named by the item's text, its hint, who
// ticked it and when, and a note that can be added when (or after) ticking it. What differs
// (whether it is required, the CI check that ticks it) comes in as `badge` and `details`.

export const MAX_CHECKLIST_NOTE = 500;

export interface ChecklistRowItem {
  label: string;
  hint: string | null;
  checked: boolean;
  checkedBy: string | null;
  checkedAt: Date | null;
}

export function ChecklistRow({
  item,
  note,
  tickable,
  pending,
  describedBy = [],
  badge,
  details,
  now,
  onToggle,
  onSaveNote,
}: {
  item: ChecklistRowItem;
  /** the note as shown (null: none to show) */
  note: string | null;
  /** the box may be ticked and the note edited */
  tickable: boolean;
  /** a change is on its way: a second click would race it */
  pending: boolean;
  /** ids of other sentences that describe the box (why it cannot be ticked, a check's state) */
  describedBy?: (string | undefined | null)[];
  /** beside the label: "required", say */
  badge?: ReactNode;
  /** under who ticked it: a CI check's state, say */
  details?: ReactNode;
  now: Date;
  onToggle: (checked: boolean) => void;
  onSaveNote: (note: string) => void;
}) {
  const id = useId();
  const [noteOpen, setNoteOpen] = useState(false);
  const noteButton = useRef<HTMLButtonElement>(null);
  const description = [item.hint ? `${id}-hint` : null, ...describedBy].filter(Boolean).join(" ") || undefined;

  function saveNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("note");
    onSaveNote(typeof value === "string" ? value : "");
    setNoteOpen(false);
    noteButton.current?.focus();
  }

  function closeNote() {
    setNoteOpen(false);
    noteButton.current?.focus();
  }

  return (
    <li className="flex gap-3 py-2.5">
      <input
        id={`${id}-box`}
        type="checkbox"
        checked={item.checked}
        disabled={!tickable}
        aria-describedby={description}
        // a second click while the first is on its way would race it: ignore it
        onClick={(e) => pending && e.preventDefault()}
        onChange={(e) => onToggle(e.target.checked)}
        className="mt-0.5 size-4 shrink-0 rounded border-slate-400 accent-green-700 disabled:cursor-not-allowed"
      />
      <div className="min-w-0 flex-1 text-sm">
        <div className="flex flex-wrap items-baseline gap-x-2">
          <label htmlFor={`${id}-box`} className="font-medium text-slate-900 wrap-anywhere">
            {item.label}
          </label>
          {badge}
          {pending ? <span className="text-xs text-slate-500">Saving…</span> : null}
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
        {details}
        {note ? <p className="mt-0.5 whitespace-pre-line text-slate-700 wrap-anywhere">Note: {note}</p> : null}
        {tickable ? (
          <button
            ref={noteButton}
            type="button"
            aria-expanded={noteOpen}
            aria-controls={`${id}-note`}
            onClick={() => setNoteOpen((open) => !open)}
            className="mt-1 text-xs font-medium text-brand-700 hover:underline"
          >
            {note ? "Edit note" : "Add note"}
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
                maxLength={MAX_CHECKLIST_NOTE}
                defaultValue={note ?? ""}
                // opened by the button just pressed: the note is what the user came for
                autoFocus
                className={`${inputClass} mt-0.5 py-1.5`}
              />
            </div>
            <button type="submit" className={compactPrimaryButtonClass}>
              {item.checked ? "Save note" : "Tick with note"}
            </button>
            <button type="button" onClick={closeNote} className={secondaryButtonClass}>
              Cancel
            </button>
          </form>
        ) : null}
      </div>
    </li>
  );
}
