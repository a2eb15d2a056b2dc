"use client";

import { useId, useOptimistic, useRef, useState, useTransition, type FormEvent } from "react";
import { tickDeploymentChecklistAction } from "@/app/deployments/[id]/actions";
import { useStepUpAction } from "@/components/shell/step-up";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { inputClass } from "@/components/ui/fields";
import { plural } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DeploymentChecklistEntry, DeploymentChecklistPart } from "@/lib/data/deployments/view";

// One of a deployment's checklists ("during" or "after"): how far it is, and each item as a
// real checkbox named by its text. Who may tick (checklist.tick here) ticks in place, shown at
// once and undone if the server refuses; everyone else reads who ticked what and when. The
// server action answers with the page re-rendered, and others' ticks arrive through the page's
// live refresh (the tick writes a line to the deployment's log, which moves its fingerprint).

const MAX_NOTE = 500;

interface Change {
  itemId: string;
  checked: boolean;
  note?: string;
}

export function DeploymentChecklist({
  deploymentId,
  title,
  part,
  mayTick,
  now,
}: {
  deploymentId: string;
  /** "During the deployment" */
  title: string;
  part: DeploymentChecklistPart;
  mayTick: boolean;
  now: Date;
}) {
  const id = useId();
  // where the environment asks for a second factor, a code is asked for and the tick retried
  const tick = useStepUpAction(tickDeploymentChecklistAction);
  const [, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [items, applyChange] = useOptimistic(part.items, (list: DeploymentChecklistEntry[], change: Change) =>
    list.map((i) =>
      i.id === change.itemId
        ? {
            ...i,
            checked: change.checked,
            note: change.checked ? (change.note ?? i.note) : null,
            checkedAt: change.checked ? (i.checkedAt ?? new Date()) : null,
            checkedBy: change.checked ? i.checkedBy : null,
          }
        : i,
    ),
  );
  const tickable = mayTick && part.closed === null;
  const whyNotId = tickable ? undefined : `${id}-why-not`;
  const done = items.filter((i) => i.checked).length;
  const progress = `${done} of ${plural(items.length, "item")} ticked`;

  function change(item: DeploymentChecklistEntry, next: Change) {
    setError(null);
    setPending((s) => new Set(s).add(item.id));
    startTransition(async () => {
      applyChange(next);
      const result = await tick({ deploymentId, ...next });
      setPending((s) => {
        const rest = new Set(s);
        rest.delete(item.id);
        return rest;
      });
      if (!result.ok) setError(`“${item.label}” was not saved: ${result.message}`);
    });
  }

  if (items.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-title`} className="min-w-0">
      <h3 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      <p className="mt-0.5 text-sm text-slate-600">{progress}</p>
      <div
        role="progressbar"
        aria-label={`${title}: progress`}
        aria-valuemin={0}
        aria-valuemax={items.length}
        aria-valuenow={done}
        aria-valuetext={progress}
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] ${done === items.length ? "bg-green-600" : "bg-amber-500"}`}
          style={{ width: `${Math.round((done / items.length) * 100)}%` }}
        />
      </div>
      {whyNotId ? (
        <p id={whyNotId} className="mt-2 text-sm text-slate-600">
          {part.closed ?? "You may read this checklist but not tick it: ticking needs checklist.tick here."}
        </p>
      ) : null}
      <ul className="mt-2 divide-y divide-slate-100">
        {items.map((item) => (
          <Item
            key={item.id}
            item={item}
            tickable={tickable}
            pending={pending.has(item.id)}
            whyNotId={whyNotId}
            now={now}
            onChange={(next) => change(item, { itemId: item.id, ...next })}
          />
        ))}
      </ul>
      <p role="alert" className="text-sm text-red-700 empty:hidden">
        {error}
      </p>
    </section>
  );
}

function Item({
  item,
  tickable,
  pending,
  whyNotId,
  now,
  onChange,
}: {
  item: DeploymentChecklistEntry;
  tickable: boolean;
  pending: boolean;
  whyNotId: string | undefined;
  now: Date;
  onChange: (change: { checked: boolean; note?: string }) => void;
}) {
  const id = useId();
  const [noteOpen, setNoteOpen] = useState(false);
  const noteButton = useRef<HTMLButtonElement>(null);
  const describedBy = [item.hint ? `${id}-hint` : null, whyNotId].filter(Boolean).join(" ") || undefined;

  function saveNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = new FormData(event.currentTarget).get("note");
    onChange({ checked: true, note: typeof note === "string" ? note : "" });
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
        aria-describedby={describedBy}
        // a second click while the first is on its way would race it: ignore it
        onClick={(e) => pending && e.preventDefault()}
        onChange={(e) => onChange({ checked: e.target.checked })}
        className="mt-0.5 size-4 shrink-0 rounded border-slate-400 accent-green-700 disabled:cursor-not-allowed"
      />
      <div className="min-w-0 flex-1 text-sm">
        <div className="flex flex-wrap items-baseline gap-x-2">
          <label htmlFor={`${id}-box`} className="font-medium text-slate-900">
            {item.label}
          </label>
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
        {item.note ? <p className="mt-0.5 whitespace-pre-line text-slate-700">Note: {item.note}</p> : null}
        {tickable ? (
          <button
            ref={noteButton}
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
                noteButton.current?.focus();
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
