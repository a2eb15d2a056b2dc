"use client";

import { Card, Section } from "@/components/ui/section";
import { FieldErrors, inputClass } from "@/components/ui/fields";

// The part of the settings form that says which releases may enter: the CI checks that must
// have passed, the branches they may come from, and the branches promoted automatically.
// Each list is typed one entry per line; the operation checks every entry and names the bad one.

function ListField({
  id,
  name,
  label,
  hint,
  placeholder,
  values,
  errors,
}: {
  id: string;
  name: string;
  label: string;
  hint: string;
  placeholder: string;
  values: readonly string[];
  errors: string[];
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label} <span className="font-normal text-slate-500">(optional)</span>
      </label>
      <textarea
        id={id}
        name={name}
        rows={3}
        defaultValue={values.join("\n")}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        className={`${inputClass} font-mono`}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={[`${id}-hint`, errors.length ? `${id}-error` : null].filter(Boolean).join(" ")}
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        {hint}
      </p>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

export function SettingsReleaseRules({
  values,
  errors,
}: {
  values: {
    requiredChecks: readonly string[];
    allowedBranches: readonly string[];
    autoPromoteBranches: readonly string[];
  };
  errors: (field: string) => string[];
}) {
  return (
    <Section
      id="checks-and-branches"
      title="Checks and branches"
      description="Which releases may enter: the CI checks they must have passed and the branches they may be built from."
    >
      <Card className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
        <div className="sm:col-span-2">
          <ListField
            id="settings-required-checks"
            name="requiredChecks"
            label="Required checks"
            placeholder={"unit-tests\ne2e"}
            hint="One check name per line, as CI reports them (POST /api/v1/releases/{id}/checks). A release enters only once each has passed, for this environment or for all. Empty: no check is required."
            values={values.requiredChecks}
            errors={errors("requiredChecks")}
          />
        </div>
        <ListField
          id="settings-allowed-branches"
          name="allowedBranches"
          label="Allowed branches"
          placeholder={"main\nrelease/*"}
          hint="One pattern per line: a branch name, * within a path segment (release/*), ** across segments. Releases from other branches, or without one, cannot be promoted here. Empty: any branch. At most 20."
          values={values.allowedBranches}
          errors={errors("allowedBranches")}
        />
        <ListField
          id="settings-auto-promote-branches"
          name="autoPromoteBranches"
          label="Branches promoted automatically"
          placeholder="develop"
          hint="With “Promote automatically”: only releases from these branches are promoted without anyone clicking; the others wait for a person. Empty: every release. Gates still apply."
          values={values.autoPromoteBranches}
          errors={errors("autoPromoteBranches")}
        />
      </Card>
    </Section>
  );
}
