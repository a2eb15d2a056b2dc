"use client";

import { useEffect, useId, useRef, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { saveDeployTargetAction } from "@/app/environments/[key]/settings/actions";
import type { DeployTargetRow, DeployTargetView, ProviderChoice } from "@/lib/data/environments/settings";
import { TARGET_FIELD_ERRORS, targetToForm, type TargetFormValues } from "@/lib/domain/deploy-target-form";
import { STRATEGY_LABELS, type RolloutStrategy } from "@/lib/domain/rollout";
import { useStepUpAction } from "@/components/shell/step-up";
import { CheckboxField, FieldErrors, InputField, SelectField, inputClass } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useFocusFirstInvalid, type FormState } from "@/components/ui/form";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";

// One application's deploy target: a provider, then that provider's own settings, the NAME of
// the variable holding its secret (never the secret), and a timeout. Lists are typed as lines;
// the server turns them into the provider's settings and answers each field's problems under it.

type TextField = Exclude<keyof TargetFormValues, "versionEnabled" | "provider">;

function TextAreaField({
  id,
  label,
  hint,
  errors,
  value,
  onChange,
  rows = 3,
  placeholder,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors: string[];
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  placeholder?: string;
}) {
  const described = [hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        placeholder={placeholder}
        spellCheck={false}
        className={`${inputClass} font-mono`}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

export function DeployTargetForm({
  environmentKey,
  application,
  target,
  providers,
  strategy,
  onSaved,
  onCancel,
}: {
  environmentKey: string;
  application: { key: string; name: string };
  target: DeployTargetView | null;
  providers: ProviderChoice[];
  strategy: RolloutStrategy;
  onSaved: (row: DeployTargetRow) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [values, setValues] = useState<TargetFormValues>(() => targetToForm(target));
  const [state, setState] = useState<FormState<DeployTargetRow>>(null);
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const save = useStepUpAction(saveDeployTargetAction);
  useFocusFirstInvalid(state, form);
  // the provider select is where the form starts
  useEffect(() => form.current?.querySelector<HTMLElement>("select")?.focus(), []);

  const provider = providers.find((p) => p.kind === values.provider) ?? null;
  const set = (field: TextField) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const errors = (field: TextField | "provider") => errorsFor(state, TARGET_FIELD_ERRORS[field]);
  const text = (
    field: TextField,
    label: ReactNode,
    extra: { hint?: ReactNode; placeholder?: string; type?: string; inputMode?: "numeric" } = {},
  ) => (
    <InputField
      id={`${id}-${field}`}
      name={field}
      label={label}
      value={values[field]}
      onChange={(e) => set(field)(e.currentTarget.value)}
      autoComplete="off"
      spellCheck={false}
      errors={errors(field)}
      {...extra}
    />
  );
  const lines = (field: TextField, label: ReactNode, hint: ReactNode, placeholder?: string) => (
    <TextAreaField
      id={`${id}-${field}`}
      label={label}
      hint={hint}
      value={values[field]}
      onChange={set(field)}
      errors={errors(field)}
      placeholder={placeholder}
    />
  );
  // messages about the settings as a whole (an unknown setting, the version block itself)
  const general =
    state && !state.ok && state.fieldErrors
      ? [...(state.fieldErrors.config ?? []), ...(state.fieldErrors["config.version"] ?? [])]
      : [];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await save(environmentKey, application.key, values);
      setState(result);
      if (result.ok) onSaved(result.data);
    });
  }

  const options = [
    { value: "", label: "Choose a provider" },
    ...providers.map((p) => ({
      value: p.kind,
      label: p.strategies.includes(strategy)
        ? p.label
        : `${p.label} (cannot run ${STRATEGY_LABELS[strategy].toLowerCase()} rollouts)`,
    })),
  ];

  return (
    <form
      ref={form}
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-label={`Deploy target of ${application.name}`}
    >
      <SelectField
        id={`${id}-provider`}
        name="provider"
        label="Provider"
        value={values.provider}
        onChange={(e) => {
          const kind = e.currentTarget.value;
          setValues((v) => ({ ...v, provider: kind }));
        }}
        options={options}
        hint="What ships a release here: a command on this server, a webhook to your own receiver, or a GitHub Actions workflow."
        errors={errors("provider")}
        className="max-w-md"
      />

      {provider ? (
        <fieldset className="space-y-4 rounded-md border border-slate-200 p-4">
          <legend className="px-1 text-sm font-medium text-slate-900">{provider.label} settings</legend>
          <FieldErrors id={`${id}-config-error`} messages={general} />
          {provider.kind === "command" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              {text("command", "Command", {
                hint: "The executable, found on PATH or by path. It runs without a shell.",
                placeholder: "./deploy.sh",
              })}
              {text("cwd", "Working directory (optional)", { hint: "Defaults to Greenlight's own directory." })}
              {lines("args", "Arguments (optional)", "One per line, passed as they are.", "--region\neu-west-1")}
              {lines(
                "env",
                "Environment variables (optional)",
                "NAME=value, one per line. Stored and shown: no secrets here.",
                "REGION=eu-west-1",
              )}
              <div className="space-y-3 sm:col-span-2">
                <CheckboxField
                  id={`${id}-versionEnabled`}
                  name="versionEnabled"
                  label="The command can say which version runs"
                  hint="Run with GREENLIGHT_ACTION=version, it prints the running version as its last line. Used after an interrupted deploy."
                  checked={values.versionEnabled}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    setValues((v) => ({ ...v, versionEnabled: checked }));
                  }}
                  errors={[]}
                />
                {values.versionEnabled ? (
                  <div className="grid gap-4 sm:grid-cols-2">
                    {text("versionCommand", "Version command (optional)", {
                      hint: "Defaults to the deploy command.",
                    })}
                    {lines("versionArgs", "Version command arguments (optional)", "One per line.")}
                  </div>
                ) : null}
              </div>
            </div>
          ) : provider.kind === "webhook" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              {text("url", "Receiver URL", {
                type: "url",
                hint: "Greenlight posts each step here as a signed Standard Webhooks event.",
                placeholder: "https://deploy.example.com/greenlight",
              })}
              {lines(
                "headers",
                "Extra headers (optional)",
                "Header-Name: value, one per line. Not for credentials: the signature authenticates each event.",
                "X-Team: payments",
              )}
            </div>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              {text("owner", "Repository owner", { placeholder: "acme" })}
              {text("repo", "Repository", { placeholder: "storefront" })}
              {text("workflow", "Workflow", {
                hint: "Its file name in .github/workflows, or its numeric id.",
                placeholder: "deploy.yml",
              })}
              {text("ref", "Branch or tag", { placeholder: "main" })}
              {lines(
                "inputs",
                "Extra inputs (optional)",
                "name=value, one per line; Greenlight sets version, environment, step and the others itself.",
                "region=eu-west-1",
              )}
              <div className="space-y-4">
                {text("baseUrl", "API address (optional)", {
                  type: "url",
                  hint: "https://api.github.com unless you use GitHub Enterprise Server (https://HOST/api/v3).",
                })}
                {text("pollSeconds", "Check the run every (seconds, optional)", {
                  hint: "From 2 to 300; 10 when empty.",
                  inputMode: "numeric",
                  placeholder: "10",
                })}
              </div>
            </div>
          )}
        </fieldset>
      ) : null}

      {provider ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {provider.secret ? (
            text("secretEnvVar", `Secret's environment variable${provider.secret.required ? "" : " (optional)"}`, {
              hint: (
                <>
                  The NAME of a variable on the Greenlight server that holds {provider.secret.label}. The value is read
                  when it is needed: never stored, shown or logged.
                </>
              ),
              placeholder: "STOREFRONT_DEPLOY_SECRET",
            })
          ) : (
            <p className="text-sm text-slate-600">This provider takes no secret.</p>
          )}
          {text("timeoutSeconds", "Timeout (seconds)", {
            inputMode: "numeric",
            hint: `How long one step may take, from 1 to ${provider.maxTimeoutSeconds}.`,
          })}
        </div>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={compactPrimaryButtonClass} disabled={pending || !provider}>
          {pending ? "Saving…" : "Save target"}
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
      <FormOutcome state={state} />
    </form>
  );
}
