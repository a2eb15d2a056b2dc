"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { beginEnrolmentAction, confirmEnrolmentAction } from "@/app/account/actions";
import type { Enrolment } from "@/lib/data/identity/second-factor";
import { compactPrimaryButtonClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { InputField } from "@/components/ui/fields";
import { CopyButton } from "./copy-button";
import { RecoveryCodes } from "./recovery-codes";

// Setting up an authenticator app, in three steps on one card: scan the QR code (or type the
// key), enter a code to prove the app has it, save the recovery codes shown once. Nothing is in
// force until the code is confirmed; starting again makes a new key.

type Step = { name: "start" } | { name: "scan"; enrolment: Enrolment } | { name: "codes"; codes: string[] };

export function AccountEnrol({ email }: { email: string }) {
  const router = useRouter();
  const [step, setStep] = useState<Step>({ name: "start" });
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function begin() {
    setFailure(null);
    startTransition(async () => {
      const result = await beginEnrolmentAction();
      if (result.ok) setStep({ name: "scan", enrolment: result.data });
      else setFailure(result.message);
    });
  }

  if (step.name === "codes")
    return (
      <RecoveryCodes
        codes={step.codes}
        email={email}
        // the page reads the account again: set up, with its codes left
        onSaved={() => router.refresh()}
      />
    );

  if (step.name === "scan")
    return (
      <Scan
        enrolment={step.enrolment}
        onConfirmed={(codes) => setStep({ name: "codes", codes })}
        onCancel={() => setStep({ name: "start" })}
      />
    );

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        An authenticator app on your phone (any app that supports time-based codes, RFC 6238) gives you a new 6-digit
        code every 30 seconds. Environments that ask for a second factor ask for one before you approve, promote, roll
        back, tick or change flags there.
      </p>
      <button type="button" className={primaryButtonClass} onClick={begin} disabled={pending}>
        {pending ? "Preparing…" : "Set up an authenticator app"}
      </button>
      {failure ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

function Scan({
  enrolment,
  onConfirmed,
  onCancel,
}: {
  enrolment: Enrolment;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => heading.current?.focus(), []);

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("code");
    const code = typeof value === "string" ? value.replace(/\s/g, "") : "";
    if (!/^\d{6}$/.test(code)) {
      setErrors(["Enter the 6 digits your app shows for Greenlight"]);
      form.current?.querySelector<HTMLInputElement>("input[name=code]")?.focus();
      return;
    }
    setErrors([]);
    startTransition(async () => {
      const result = await confirmEnrolmentAction({ code });
      if (result.ok) return onConfirmed(result.data.recoveryCodes);
      setErrors(result.fieldErrors?.code ?? [result.message]);
      const input = form.current?.querySelector<HTMLInputElement>("input[name=code]");
      if (input) {
        input.value = "";
        input.focus();
      }
    });
  }

  return (
    <div className="space-y-5">
      <h3 ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none">
        1. Add Greenlight to your authenticator app
      </h3>
      <div className="flex flex-col gap-5 sm:flex-row sm:items-start">
        {/* a data: URL made by the server; next/image has nothing to optimise here */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={enrolment.qr}
          width={220}
          height={220}
          alt="QR code that adds Greenlight to an authenticator app. If you cannot scan it, type the setup key shown beside it."
          className="shrink-0 rounded-md ring-1 ring-slate-200"
        />
        <div className="min-w-0 space-y-2 text-sm text-slate-700">
          <p>Scan the QR code with the app. If you cannot scan it, add an account by hand with this setup key:</p>
          <p>
            <code
              aria-label="Setup key"
              className="inline-block rounded-md bg-slate-50 px-3 py-2 font-mono text-base tracking-wider break-all text-slate-900 ring-1 ring-slate-200"
            >
              {enrolment.secret}
            </code>
          </p>
          <CopyButton value={enrolment.secret.replace(/\s/g, "")} label="Copy setup key" what="Setup key" />
          <p className="text-xs text-slate-500">Time-based, 6 digits, every 30 seconds (the usual settings).</p>
        </div>
      </div>
      <form ref={form} onSubmit={confirm} noValidate className="max-w-xs space-y-3">
        <h3 className="text-base font-semibold text-slate-900">2. Confirm with a code from the app</h3>
        <InputField
          id="enrol-code"
          name="code"
          label="Enter the 6-digit code"
          hint="The code your app shows for Greenlight now."
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          errors={errors}
        />
        <div className="flex gap-2">
          <button type="submit" className={compactPrimaryButtonClass} disabled={pending}>
            {pending ? "Checking…" : "Confirm"}
          </button>
          <button type="button" className={secondaryButtonClass} onClick={onCancel} disabled={pending}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
