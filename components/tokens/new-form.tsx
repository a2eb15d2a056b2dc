"use client";

import { useState, type FormEvent } from "react";
import { createTokenAction } from "@/app/tokens/actions";
import { TokensCreated } from "./created";
import { PERMISSION_GROUPS, isEverywhere } from "./permissions";
import { FieldErrors, InputField } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { primaryButtonClass } from "@/components/ui/buttons";
import { useStepUpAction } from "@/components/shell/step-up";

// A new token: its name, what it may do, where, and until when. The server checks all of it
// again (and that the token does not exceed its creator); this form only shapes the request.

interface EnvironmentOption {
  key: string;
  name: string;
}

function EnvironmentPicker({ environments, errors }: { environments: EnvironmentOption[]; errors: string[] }) {
  const [all, setAll] = useState(true);
  return (
    <fieldset aria-describedby={errors.length ? "token-environments-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Environments</legend>
      <div className="mt-2 flex items-start gap-2">
        <input
          id="token-all-environments"
          type="checkbox"
          name="scope"
          value="all"
          checked={all}
          onChange={(e) => setAll(e.currentTarget.checked)}
          className="mt-0.5 size-4 shrink-0 accent-slate-900"
        />
        <label htmlFor="token-all-environments" className="text-sm text-slate-900">
          All environments, including ones added later
        </label>
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-5 gap-y-2 pl-6">
        {environments.map((environment) => {
          const id = `token-environment-${environment.key}`;
          return (
            <li key={environment.key} className="flex items-center gap-2">
              <input
                id={id}
                type="checkbox"
                name="environmentKeys"
                value={environment.key}
                disabled={all}
                className="size-4 shrink-0 accent-slate-900 disabled:opacity-50"
              />
              <label htmlFor={id} className={`text-sm ${all ? "text-slate-400" : "text-slate-900"}`}>
                {environment.name}
              </label>
            </li>
          );
        })}
      </ul>
      <FieldErrors id="token-environments-error" messages={errors} />
    </fieldset>
  );
}

function PermissionPicker({ errors }: { errors: string[] }) {
  return (
    <fieldset aria-describedby={errors.length ? "token-permissions-error" : "token-permissions-hint"}>
      <legend className="text-sm font-medium text-slate-700">Permissions</legend>
      <p id="token-permissions-hint" className="text-xs text-slate-500">
        Only what the machine needs. A token can never do more than you can.
      </p>
      <div className="mt-2 grid gap-4 sm:grid-cols-2">
        {PERMISSION_GROUPS.map((group) => (
          <fieldset key={group.label}>
            <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">{group.label}</legend>
            <ul className="mt-1 space-y-1.5">
              {group.permissions.map(({ name, does }) => {
                const id = `token-permission-${name}`;
                return (
                  <li key={name} className="flex items-start gap-2">
                    <input
                      id={id}
                      type="checkbox"
                      name="permissions"
                      value={name}
                      className="mt-0.5 size-4 shrink-0 accent-slate-900"
                    />
                    <label htmlFor={id} className="text-sm leading-tight text-slate-900">
                      {does}
                      <span className="block font-mono text-xs text-slate-500">
                        {name}
                        {isEverywhere(name) ? " · not limited by environment" : ""}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ))}
      </div>
      <FieldErrors id="token-permissions-error" messages={errors} />
    </fieldset>
  );
}

export function TokensNewForm({ environments, origin }: { environments: EnvironmentOption[]; origin: string }) {
  const { state, pending, formRef, onSubmit } = useServerForm(useStepUpAction(createTokenAction));
  const [environmentError, setEnvironmentError] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state?.ok && state.data.token.id !== dismissed ? state.data : null;
  const today = new Date().toISOString().slice(0, 10);

  function submit(event: FormEvent<HTMLFormElement>) {
    const data = new FormData(event.currentTarget);
    // without this, unticking "all" and choosing nothing would silently mean all environments
    if (data.get("scope") !== "all" && data.getAll("environmentKeys").length === 0) {
      event.preventDefault();
      setEnvironmentError("Choose at least one environment, or all environments.");
      return;
    }
    setEnvironmentError(null);
    onSubmit(event);
  }

  return (
    <div className="space-y-5">
      {created ? (
        <TokensCreated
          key={created.token.id}
          name={created.token.name}
          plaintext={created.plaintext}
          origin={origin}
          onDone={() => setDismissed(created.token.id)}
        />
      ) : null}
      {/* remounted after each creation, so every choice starts over from its default */}
      <form
        key={state?.ok ? `after-${state.data.token.id}` : "new"}
        ref={formRef}
        onSubmit={submit}
        noValidate
        className="space-y-5"
      >
        <FormOutcome state={state?.ok ? null : state} />
        <InputField
          id="token-name"
          name="name"
          label="Name"
          required
          autoComplete="off"
          placeholder="ci-main"
          hint="Say what uses it: it appears under this name in the audit trail."
          errors={errorsFor(state, "name")}
        />
        <PermissionPicker errors={errorsFor(state, "permissions")} />
        <EnvironmentPicker
          environments={environments}
          errors={[...errorsFor(state, "environmentKeys"), ...(environmentError ? [environmentError] : [])]}
        />
        <InputField
          id="token-expires"
          name="expiresAt"
          label="Expires (optional)"
          type="date"
          min={today}
          hint="It stops working at the end of this day (UTC). Leave empty for a token that does not expire."
          errors={errorsFor(state, "expiresAt")}
        />
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </form>
    </div>
  );
}
