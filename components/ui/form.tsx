"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";

// Pieces shared by the admin forms (users, roles, tokens): a form state that keeps what was
// typed when the server says no, field errors tied to their inputs, and the same look.

/** What the server actions return (lib/data/result.ts ActionResult), seen from the client. */
export type FormState<T> =
  { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> } | null;

/**
 * useActionState, dispatched from onSubmit rather than the form's `action` prop: React resets a
 * form after an action, which would throw away what the user typed when the server refuses it.
 * The form is reset only after a success.
 */
export function useServerForm<T>(action: (state: FormState<T>, form: FormData) => Promise<FormState<T>>) {
  const [state, dispatch, pending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  }
  return { state, pending, formRef, onSubmit };
}

/** Messages for a field, including those about its items ("permissions.1"). */
export function errorsFor(state: FormState<unknown>, field: string): string[] {
  if (!state || state.ok || !state.fieldErrors) return [];
  return Object.entries(state.fieldErrors)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
}

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900 aria-invalid:border-red-500";

export const primaryButtonClass =
  "rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-60";

export const compactPrimaryButtonClass =
  "rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-60";

export const secondaryButtonClass =
  "rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

export const dangerButtonClass =
  "rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-60";

export function FieldErrors({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div id={id} className="mt-1 space-y-0.5 text-sm text-red-700">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** A labelled text input with its hint and its errors, both announced with the input. */
export function TextField({
  id,
  name,
  label,
  hint,
  errors,
  ...input
}: {
  id: string;
  name: string;
  label: string;
  hint?: ReactNode;
  errors: string[];
  type?: string;
  autoComplete?: string;
  required?: boolean;
  min?: string;
  placeholder?: string;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        className={inputClass}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

/** The form's outcome: an alert when it failed as a whole, a status line when it worked. */
export function FormOutcome({ state, success }: { state: FormState<unknown>; success?: ReactNode }) {
  if (!state) return null;
  if (state.ok)
    return success ? (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 ring-1 ring-green-200">
        {success}
      </p>
    ) : null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
      {state.message}
    </p>
  );
}
