"use client";

import { useActionState } from "react";
import { signInWithPasswordAction, type SignInState } from "@/app/sign-in/actions";

export function SignInForm({ callbackUrl, notice }: { callbackUrl: string; notice: string | null }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPasswordAction, {
    error: notice,
    email: "",
    throttled: false,
  });
  const errorId = "sign-in-error";
  return (
    <form action={action} className="space-y-4" aria-describedby={state.error ? errorId : undefined} noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.error ? (
        <p
          id={errorId}
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
        >
          {state.error}
        </p>
      ) : null}
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-slate-900 shadow-sm focus:border-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-slate-900 shadow-sm focus:border-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900"
        />
      </div>
      {state.throttled ? (
        <div>
          <label htmlFor="code" className="block text-sm font-medium text-slate-700">
            Authentication code
          </label>
          <input
            id="code"
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            aria-describedby="code-hint"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-slate-900 shadow-sm focus:border-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900"
          />
          <p id="code-hint" className="mt-1 text-xs text-slate-500">
            From your authenticator app, or one of your recovery codes.
          </p>
        </div>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
