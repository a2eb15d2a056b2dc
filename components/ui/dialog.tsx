"use client";

import { useCallback, useId, useRef, type ReactNode } from "react";

// A modal built on the native <dialog>: showModal() gives the focus trap, Escape to close and
// an inert page behind it without any script of ours.

export function useDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  // stable, so effects that close the dialog after a save do not re-run on every render
  const open = useCallback(() => ref.current?.showModal(), []);
  const close = useCallback(() => ref.current?.close(), []);
  return { ref, open, close };
}

export function Dialog({
  dialogRef,
  title,
  description,
  children,
}: {
  dialogRef: React.RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  const descriptionId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg bg-white p-0 text-left shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {description ? (
          <p id={descriptionId} className="mt-1 text-sm text-slate-600">
            {description}
          </p>
        ) : null}
        <div className="mt-4">{children}</div>
      </div>
    </dialog>
  );
}
