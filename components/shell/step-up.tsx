"use client";

import Link from "@/components/ui/link";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import {
  confirmPasswordAction,
  stepUpContextAction,
  verifySecondFactorAction,
  type StepUpContext,
} from "@/app/account/actions";
import { signInWithProviderAction } from "@/app/sign-in/actions";
import { Dialog } from "@/components/ui/dialog";
import { FieldErrors, inputClass } from "@/components/ui/fields";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";

// "Confirm it's you". Some actions answer { ok: false, stepUp } (lib/data/result.ts): the
// environment wants a recent second factor, or minting a token wants a recent sign-in. run()
// calls the action; on such an answer it asks, in one dialog for the whole page, for a code
// (or a recovery code) or the password, and then calls the action once more and returns that
// answer. Cancelled, it returns the first answer, whose message says what was needed. The
// server decides every time: this only saves a person from starting over.

export type StepUpKind = "second_factor" | "recent_sign_in";

/** The answers run() understands: a server action's result (lib/data/result.ts ActionResult). */
export type StepUpAnswer = { ok: true } | { ok: false; message: string; stepUp?: StepUpKind };

interface Ask {
  id: number;
  kind: StepUpKind;
  message: string;
  promise: Promise<boolean>;
  resolve: (passed: boolean) => void;
}

const Context = createContext<((kind: StepUpKind, message: string) => Promise<boolean>) | null>(null);

function stepUpOf(answer: StepUpAnswer | null): { kind: StepUpKind; message: string } | null {
  return answer && !answer.ok && answer.stepUp ? { kind: answer.stepUp, message: answer.message } : null;
}

export function useStepUp() {
  const ask = useContext(Context);
  const run = useCallback(
    async <R extends StepUpAnswer | null>(action: () => Promise<R>): Promise<R> => {
      const first = await action();
      const needed = stepUpOf(first);
      // outside the provider (never in the app) the refusal is shown as it is
      if (!needed || !ask) return first;
      return (await ask(needed.kind, needed.message)) ? action() : first;
    },
    [ask],
  );
  return { run };
}

/** The same action, asking for a code or the password when the server wants one, then retrying once. */
export function useStepUpAction<A extends unknown[], R extends StepUpAnswer | null>(
  action: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  const { run } = useStepUp();
  return useCallback((...args: A) => run(() => action(...args)), [run, action]);
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const [asking, setAsking] = useState<Ask | null>(null);
  const current = useRef<Ask | null>(null);
  const asked = useRef(0);

  const ask = useCallback(async (kind: StepUpKind, message: string): Promise<boolean> => {
    // several actions may be refused at once: they wait for the same answer
    while (current.current && current.current.kind !== kind) await current.current.promise;
    if (current.current) return current.current.promise;
    let resolve!: (passed: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    const next: Ask = { id: ++asked.current, kind, message, promise, resolve };
    current.current = next;
    setAsking(next);
    return promise;
  }, []);

  const done = useCallback((passed: boolean) => {
    const finished = current.current;
    current.current = null;
    setAsking(null);
    finished?.resolve(passed);
  }, []);

  const value = useMemo(() => ask, [ask]);
  return (
    <Context.Provider value={value}>
      {children}
      {asking ? <StepUpDialog key={asking.id} ask={asking} onDone={done} /> : null}
    </Context.Provider>
  );
}

function StepUpDialog({ ask, onDone }: { ask: Ask; onDone: (passed: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const passed = useRef(false);
  const [context, setContext] = useState<StepUpContext | null>(null);
  const [loadFailure, setLoadFailure] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Escape, Cancel and a success all end here
    const closed = () => onDone(passed.current);
    dialog.addEventListener("close", closed);
    if (!dialog.open) dialog.showModal();
    return () => dialog.removeEventListener("close", closed);
  }, [onDone]);

  useEffect(() => {
    let live = true;
    void stepUpContextAction().then(
      (result) => {
        if (!live) return;
        if (result.ok) setContext(result.data);
        else setLoadFailure(result.message);
      },
      () => live && setLoadFailure("Could not reach Greenlight. Check your connection and try again."),
    );
    return () => {
      live = false;
    };
  }, []);

  const close = () => ref.current?.close();
  const succeed = () => {
    passed.current = true;
    ref.current?.close();
  };

  let body: ReactNode;
  if (loadFailure) body = <Failure message={loadFailure} onCancel={close} />;
  else if (!context)
    body = (
      <p role="status" className="text-sm text-slate-600">
        Checking how you can confirm…
      </p>
    );
  else if (ask.kind === "second_factor")
    body = context.enrolled ? (
      <CodeForm onPassed={succeed} onCancel={close} />
    ) : (
      <NotEnrolled context={context} onCancel={close} />
    );
  else
    body = context.hasPassword ? (
      <PasswordForm onPassed={succeed} onCancel={close} />
    ) : (
      <SignInAgain context={context} onCancel={close} />
    );

  return (
    <Dialog dialogRef={ref} title="Confirm it's you" description={ask.message}>
      {body}
    </Dialog>
  );
}

function Failure({ message, onCancel }: { message: string; onCancel: () => void }) {
  return (
    <div className="space-y-4">
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
        {message}
      </p>
      <div className="flex justify-end">
        <button type="button" className={secondaryButtonClass} onClick={onCancel}>
          Close
        </button>
      </div>
    </div>
  );
}

/** One secret field (a code, a password), sent to a check; its refusal is shown under it. */
function SecretForm({
  label,
  hint,
  type,
  autoComplete,
  submitLabel,
  pendingLabel,
  check,
  onPassed,
  onCancel,
}: {
  label: string;
  hint: ReactNode;
  type: "text" | "password";
  autoComplete: string;
  submitLabel: string;
  pendingLabel: string;
  check: (
    value: string,
  ) => Promise<{ ok: true } | { ok: false; message: string; fieldErrors?: Record<string, string[]> }>;
  onPassed: () => void;
  onCancel: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const id = `step-up-${type}`;

  useEffect(() => input.current?.focus(), []);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = input.current?.value ?? "";
    if (!value.trim()) {
      setErrors([`Enter your ${label.toLowerCase()}`]);
      input.current?.focus();
      return;
    }
    setPending(true);
    const result = await check(value).catch(() => ({
      ok: false as const,
      message: "Could not reach Greenlight. Check your connection and try again.",
    }));
    setPending(false);
    if (result.ok) return onPassed();
    const messages = "fieldErrors" in result && result.fieldErrors ? Object.values(result.fieldErrors).flat() : [];
    setErrors(messages.length ? messages : [result.message]);
    if (input.current) {
      input.current.value = "";
      input.current.focus();
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <div>
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <input
          ref={input}
          id={id}
          name={type === "password" ? "password" : "code"}
          type={type}
          autoComplete={autoComplete}
          spellCheck={false}
          autoCapitalize="none"
          maxLength={type === "password" ? 1024 : 32}
          className={`${inputClass} ${type === "text" ? "font-mono tracking-wider" : ""}`}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={`${id}-hint${errors.length ? ` ${id}-error` : ""}`}
        />
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
        <FieldErrors id={`${id}-error`} messages={errors} />
      </div>
      <div className="flex justify-end gap-2">
        <button type="button" className={secondaryButtonClass} onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button type="submit" className={compactPrimaryButtonClass} disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}

function CodeForm({ onPassed, onCancel }: { onPassed: () => void; onCancel: () => void }) {
  return (
    <SecretForm
      label="Code"
      hint="The 6-digit code your authenticator app shows now, or one of your recovery codes (each works once)."
      type="text"
      autoComplete="one-time-code"
      submitLabel="Verify"
      pendingLabel="Verifying…"
      check={(code) => verifySecondFactorAction({ code })}
      onPassed={onPassed}
      onCancel={onCancel}
    />
  );
}

function PasswordForm({ onPassed, onCancel }: { onPassed: () => void; onCancel: () => void }) {
  return (
    <SecretForm
      label="Password"
      hint="The password you sign in with. Then the action is tried again."
      type="password"
      autoComplete="current-password"
      submitLabel="Confirm"
      pendingLabel="Confirming…"
      check={(password) => confirmPasswordAction({ password })}
      onPassed={onPassed}
      onCancel={onCancel}
    />
  );
}

/** An identity provider to sign in again with: the one this session came through. */
function providerOf(context: StepUpContext): string | null {
  return context.signInMethod === "oidc" || context.signInMethod === "github" ? context.signInMethod : null;
}

/** Signing in again through the identity provider, back to this page afterwards. */
function SignInAgainButton({ provider, primary }: { provider: string; primary: boolean }) {
  const here = typeof window === "undefined" ? "/" : `${window.location.pathname}${window.location.search}`;
  return (
    <form action={signInWithProviderAction}>
      <input type="hidden" name="provider" value={provider} />
      <input type="hidden" name="callbackUrl" value={here} />
      <button type="submit" className={primary ? compactPrimaryButtonClass : secondaryButtonClass}>
        Sign in again
      </button>
    </form>
  );
}

function NotEnrolled({ context, onCancel }: { context: StepUpContext; onCancel: () => void }) {
  const provider = providerOf(context);
  return (
    <div className="space-y-4 text-sm text-slate-700">
      <p>
        You have no authenticator app set up yet.{" "}
        <Link href="/account" className="font-medium text-brand-700 underline" onClick={onCancel}>
          Set one up on your Security page
        </Link>
        , then try again.
      </p>
      {provider ? (
        <p>
          Or sign in again through your identity provider: when it reports that you passed its own multi-factor check,
          that counts too.
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className={secondaryButtonClass} onClick={onCancel}>
          Cancel
        </button>
        {provider ? <SignInAgainButton provider={provider} primary /> : null}
      </div>
    </div>
  );
}

function SignInAgain({ context, onCancel }: { context: StepUpContext; onCancel: () => void }) {
  const provider = providerOf(context);
  return (
    <div className="space-y-4 text-sm text-slate-700">
      <p>
        Your account has no Greenlight password: you sign in through single sign-on.{" "}
        {provider ? "Sign in again there, then try once more." : "Sign out, sign in again, then try once more."}
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className={secondaryButtonClass} onClick={onCancel}>
          Cancel
        </button>
        {provider ? <SignInAgainButton provider={provider} primary /> : null}
      </div>
    </div>
  );
}
