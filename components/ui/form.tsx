"use client";

import {
  startTransition,
  useActionState,
  useEffect,
  useRef,
  type FormEvent,
  type ReactNode,
  type RefObject,
} from "react";

// The state of a form posted to a server action: what the server said, kept with what was
// typed when it says no, and where focus goes then. Fields are in fields.tsx, looks in buttons.ts.

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

/**
 * After a refused save, focus moves to the first field in error, so keyboard and screen-reader
 * users land where the form needs them instead of hunting for the message.
 */
export function useFocusFirstInvalid(state: FormState<unknown>, form: RefObject<HTMLFormElement | null>) {
  useEffect(() => {
    if (state && !state.ok) form.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [state, form]);
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
