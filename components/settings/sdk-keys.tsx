"use client";

import { useEffect, useRef, useState } from "react";
import { createSdkKeyAction, revokeSdkKeyAction } from "@/app/environments/[key]/settings/actions";
import type { SdkKeySummary } from "@/lib/data/flags/sdk-keys";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyField } from "@/components/ui/copy-field";
import { InputField } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { formatAbsolute } from "@/components/ui/format";
import { useStepUpAction } from "@/components/shell/step-up";

// The keys with which applications read this environment's flags (README "Flags for
// applications"): a list with Revoke, and a form whose result shows the new key once.

function Created({
  name,
  sdkKey,
  environmentKey,
  onDone,
}: {
  name: string;
  sdkKey: string;
  environmentKey: string;
  onDone: () => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="space-y-3 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
      <h3 ref={headingRef} tabIndex={-1} className="font-semibold text-slate-900 outline-none">
        SDK key “{name}” created
      </h3>
      <p className="text-sm text-amber-900">
        <strong>Copy it now: it will not be shown again.</strong> Greenlight stores only a hash of it.
      </p>
      <CopyField id="created-sdk-key" label="SDK key" value={sdkKey} />
      <CopyField
        id="created-sdk-key-curl"
        label="Try it against npm run flags-edge"
        multiline
        value={`curl -H "Authorization: Bearer ${sdkKey}" "http://localhost:3100/api/v1/flags?environment=${encodeURIComponent(environmentKey)}"`}
      />
      <button type="button" className={secondaryButtonClass} onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

export function SettingsSdkKeys({ environmentKey, keys }: { environmentKey: string; keys: SdkKeySummary[] }) {
  const { state, pending, formRef, onSubmit } = useServerForm(useStepUpAction(createSdkKeyAction));
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state?.ok && state.data.id !== dismissed ? state.data : null;
  const active = keys.filter((k) => !k.revokedAt);
  const revoked = keys.filter((k) => k.revokedAt);
  return (
    <div className="divide-y divide-slate-200">
      <div className="p-4 sm:p-5">
        {active.length === 0 ? (
          <p className="text-sm text-slate-600">
            No application reads this environment&apos;s flags yet: create a key below.
          </p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">SDK keys that work</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Name
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Starts with
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Created
                </th>
                <th scope="col" className="py-1.5 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {active.map((k) => (
                <tr key={k.id}>
                  <td className="py-2 pr-3 font-medium text-slate-900">{k.name}</td>
                  <td className="py-2 pr-3 font-mono text-xs text-slate-600">{k.prefix}…</td>
                  <td className="py-2 pr-3 text-slate-600">{formatAbsolute(new Date(k.createdAt))}</td>
                  <td className="py-2 text-right">
                    <ConfirmButton
                      label="Revoke"
                      subject={`SDK key ${k.name}`}
                      consequence="Applications using it get their defaults within a second."
                      confirmLabel="Yes, revoke"
                      pendingLabel="Revoking…"
                      action={() => revokeSdkKeyAction(environmentKey, k.id)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {revoked.length ? (
          <p className="mt-3 text-xs text-slate-500">
            Revoked: {revoked.map((k) => `${k.name} (${k.prefix}…)`).join(", ")}
          </p>
        ) : null}
      </div>
      <div className="space-y-4 p-4 sm:p-5">
        {created ? (
          <Created
            key={created.id}
            name={created.name}
            sdkKey={created.key}
            environmentKey={environmentKey}
            onDone={() => setDismissed(created.id)}
          />
        ) : null}
        <form
          key={state?.ok ? `after-${state.data.id}` : "new"}
          ref={formRef}
          onSubmit={onSubmit}
          noValidate
          className="max-w-md space-y-4"
        >
          <FormOutcome state={state?.ok ? null : state} />
          <input type="hidden" name="environmentKey" value={environmentKey} />
          <InputField
            id="sdk-key-name"
            name="name"
            label="New key for"
            required
            autoComplete="off"
            placeholder="storefront"
            hint="The application that will read the flags: read-only, for this environment only."
            errors={errorsFor(state, "name")}
          />
          <button type="submit" className={primaryButtonClass} disabled={pending}>
            {pending ? "Creating…" : "Create SDK key"}
          </button>
        </form>
      </div>
    </div>
  );
}
