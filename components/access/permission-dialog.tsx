"use client";

import { useEffect, useId, useRef, useState } from "react";

// A modal checkbox list for an exact permission set: a cell's "Custom…" choice and a role's
// global permissions. A native <dialog> keeps focus inside, closes on Escape and is not
// clipped by the matrix's scrolling region.

export interface PermissionOption<P extends string> {
  value: P;
  description: string;
}

export function AccessPermissionDialog<P extends string>({
  title,
  description,
  options,
  initial,
  onSave,
  onClose,
}: {
  title: string;
  description: string;
  options: PermissionOption<P>[];
  initial: readonly P[];
  onSave: (permissions: P[]) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [selected, setSelected] = useState(() => new Set<P>(initial));
  const titleId = useId();
  const descriptionId = useId();

  // opened once mounted; the parent unmounts it to close (leaving the document closes it too,
  // and without a close() in a cleanup, React's dev double-run cannot fire onClose)
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  function toggle(value: P, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(value);
      else next.delete(value);
      return next;
    });
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onClose={onClose}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          // keep the vocabulary's order, whatever order the boxes were ticked in
          onSave(options.map((o) => o.value).filter((v) => selected.has(v)));
        }}
        className="p-5"
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <p id={descriptionId} className="mt-1 text-sm text-slate-600">
          {description}
        </p>
        <fieldset className="mt-4">
          <legend className="sr-only">Permissions</legend>
          <ul className="space-y-1">
            {options.map((option) => (
              <li key={option.value}>
                <label className="flex cursor-pointer items-start gap-3 rounded-md px-2 py-1.5 hover:bg-slate-50">
                  <input
                    type="checkbox"
                    name="permissions"
                    value={option.value}
                    checked={selected.has(option.value)}
                    onChange={(event) => toggle(option.value, event.target.checked)}
                    className="mt-0.5 size-4 shrink-0 accent-slate-900"
                  />
                  <span className="min-w-0 text-sm">
                    <span className="block font-mono text-xs text-slate-900">{option.value}</span>
                    <span className="block text-slate-600">{option.description}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="mt-5 flex justify-end gap-2">
          <button
            type="button"
            onClick={() => ref.current?.close()}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Cancel
          </button>
          <button
            type="submit"
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-800"
          >
            Save
          </button>
        </div>
      </form>
    </dialog>
  );
}
