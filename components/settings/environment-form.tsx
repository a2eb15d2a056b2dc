"use client";

import { useId, useRef, useState } from "react";
import { updateEnvironmentSettingsAction } from "@/app/environments/[key]/settings/actions";
import { Card, Section } from "@/components/ui/section";
import { InputField, SelectField, inputClass } from "@/components/ui/fields";
import { useFocusFirstInvalid, FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { primaryButtonClass } from "@/components/ui/buttons";
import { SettingsGates } from "./gates";
import { SettingsReleaseRules } from "./release-rules";

// General settings and gates of one environment, saved together: the operation takes the
// whole set, so what is on screen is exactly what gets stored.

export interface EnvironmentSettingsValues {
  key: string;
  name: string;
  description: string | null;
  color: string;
  url: string | null;
  protected: boolean;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  flagChangeApprovals: number;
  soakMinutes: number;
  autoPromote: boolean;
  secondFactor: { required: boolean; maxAgeMinutes: number };
  position: number;
  requiredChecks: readonly string[];
  allowedBranches: readonly string[];
  autoPromoteBranches: readonly string[];
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** "1st (first)", "3rd (after Staging)": where the environment would land, among the others. */
function placeOptions(environmentKey: string, position: number, pipeline: { key: string; name: string | null }[]) {
  const others = pipeline.filter((p) => p.key !== environmentKey);
  return pipeline.map((_, i) => {
    const before = others[i - 1];
    const where = i === 0 ? "first" : `after ${before?.name ?? "a stage you cannot see"}`;
    return { value: String(i), label: `${ordinal(i + 1)} (${where})${i === position ? " · current" : ""}` };
  });
}

function ColourField({ initial, errors }: { initial: string; errors: string[] }) {
  const [colour, setColour] = useState(initial);
  const valid = /^#[0-9a-f]{6}$/i.test(colour.trim());
  return (
    <div>
      <label htmlFor="settings-color" className="block text-sm font-medium text-slate-700">
        Colour
      </label>
      <div className="mt-1 flex items-center gap-2">
        {/* the swatch is also a picker, for those who prefer to point */}
        <input
          type="color"
          aria-label="Pick a colour"
          value={valid ? colour.trim().toLowerCase() : "#64748b"}
          onChange={(e) => setColour(e.currentTarget.value)}
          className="h-9 w-11 shrink-0 cursor-pointer rounded-md border border-slate-300 bg-white p-0.5"
        />
        <input
          id="settings-color"
          name="color"
          value={colour}
          onChange={(e) => setColour(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          className={`${inputClass} mt-0 font-mono`}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={errors.length ? "settings-color-hint settings-color-error" : "settings-color-hint"}
        />
      </div>
      <p id="settings-color-hint" className="mt-1 text-xs text-slate-500">
        A hex colour such as #16a34a, for the stage&apos;s column and badges.
      </p>
      {errors.length ? (
        <div id="settings-color-error" className="mt-1 space-y-0.5 text-sm text-red-700">
          {errors.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function SettingsEnvironmentForm({
  environment: e,
  pipeline,
}: {
  environment: EnvironmentSettingsValues;
  pipeline: { key: string; name: string | null }[];
}) {
  const { state, pending, onSubmit } = useServerForm(updateEnvironmentSettingsAction);
  const descriptionId = useId();
  // no reset after a save (unlike useServerForm's formRef): the fields already show what was saved
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(state, form);
  const errors = (field: string) => errorsFor(state, field);

  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="space-y-10">
      <input type="hidden" name="environmentKey" value={e.key} />
      <Section
        id="general"
        title="General"
        description="How the environment is named and shown, and its place in the pipeline."
      >
        <Card className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
          <InputField
            id="settings-name"
            name="name"
            label="Name"
            defaultValue={e.name}
            required
            autoComplete="off"
            errors={errors("name")}
          />
          <SelectField
            id="settings-position"
            name="position"
            label="Order in the pipeline"
            defaultValue={String(e.position)}
            options={placeOptions(e.key, e.position, pipeline)}
            hint="Releases flow from the first stage to the last. The others move up or down to make room."
            errors={errors("position")}
          />
          <div className="sm:col-span-2">
            <label htmlFor="settings-description" className="block text-sm font-medium text-slate-700">
              Description <span className="font-normal text-slate-500">(optional)</span>
            </label>
            <textarea
              id="settings-description"
              name="description"
              rows={2}
              defaultValue={e.description ?? ""}
              className={inputClass}
              aria-invalid={errors("description").length ? true : undefined}
              aria-describedby={errors("description").length ? descriptionId : undefined}
            />
            {errors("description").length ? (
              <p id={descriptionId} className="mt-1 text-sm text-red-700">
                {errors("description").join(" ")}
              </p>
            ) : null}
          </div>
          <ColourField initial={e.color} errors={errors("color")} />
          <InputField
            id="settings-url"
            name="url"
            label="URL (optional)"
            type="url"
            defaultValue={e.url ?? ""}
            placeholder="https://staging.example.com"
            hint="Where the environment answers; health checks are made against it."
            errors={errors("url")}
          />
        </Card>
      </Section>

      <SettingsGates values={e} errors={errors} />

      <SettingsReleaseRules values={e} errors={errors} />

      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </button>
        <div className="min-w-0 flex-1">
          <FormOutcome state={state} success="Settings saved." />
        </div>
      </div>
    </form>
  );
}
