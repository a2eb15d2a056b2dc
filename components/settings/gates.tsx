"use client";

import { useState } from "react";
import { Card, Section } from "@/components/ui/section";
import { CheckboxField, InputField } from "@/components/ui/fields";

// The gates part of the settings form: what a release must pass to be promoted here.

export function SettingsGates({
  values,
  errors,
}: {
  values: {
    protected: boolean;
    preventSelfApproval: boolean;
    autoPromote: boolean;
    requiredApprovals: number;
    flagChangeApprovals: number;
    soakMinutes: number;
    secondFactor: { required: boolean; maxAgeMinutes: number };
  };
  errors: (field: string) => string[];
}) {
  const [isProtected, setProtected] = useState(values.protected);
  const [selfApproval, setSelfApproval] = useState(values.preventSelfApproval);
  const [selfApprovalTouched, setSelfApprovalTouched] = useState(false);
  return (
    <Section id="gates" title="Gates" description="What a release must pass before it is promoted here.">
      <Card className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
        <div className="space-y-4 sm:col-span-2">
          <CheckboxField
            id="settings-protected"
            name="protected"
            label="Protected"
            hint="Marks the environment as one where every change must pass its gates."
            checked={isProtected}
            onChange={(event) => {
              const on = event.currentTarget.checked;
              setProtected(on);
              // protected environments normally refuse self-approval: follow along until the user decides
              if (on && !selfApprovalTouched) setSelfApproval(true);
            }}
            errors={errors("protected")}
          />
          <CheckboxField
            id="settings-self-approval"
            name="preventSelfApproval"
            label="The release author's own approval does not count"
            hint="On by default for protected environments."
            checked={selfApproval}
            onChange={(event) => {
              setSelfApproval(event.currentTarget.checked);
              setSelfApprovalTouched(true);
            }}
            errors={errors("preventSelfApproval")}
          />
          <CheckboxField
            id="settings-auto-promote"
            name="autoPromote"
            label="Promote automatically"
            hint="Once the previous stage succeeded and every gate passes, without anyone clicking."
            defaultChecked={values.autoPromote}
            errors={errors("autoPromote")}
          />
        </div>
        <InputField
          id="settings-approvals"
          name="requiredApprovals"
          label="Required approvals"
          type="number"
          min={0}
          max={10}
          step={1}
          inputMode="numeric"
          defaultValue={values.requiredApprovals}
          hint="0 to 10, by people allowed to approve here."
          errors={errors("requiredApprovals")}
        />
        <InputField
          id="settings-flag-approvals"
          name="flagChangeApprovals"
          label="Approvals for a flag change"
          type="number"
          min={0}
          max={10}
          step={1}
          inputMode="numeric"
          defaultValue={values.flagChangeApprovals}
          hint="0: flag changes apply at once. Otherwise each becomes a request that others approve (four eyes)."
          errors={errors("flagChangeApprovals")}
        />
        <InputField
          id="settings-soak"
          name="soakMinutes"
          label="Soak time (minutes)"
          type="number"
          min={0}
          max={10080}
          step={1}
          inputMode="numeric"
          defaultValue={values.soakMinutes}
          hint="How long a release must have run in the previous stage first (0 to 10080, a week)."
          errors={errors("soakMinutes")}
        />
        <div className="space-y-4 border-t border-slate-100 pt-5 sm:col-span-2">
          <CheckboxField
            id="settings-second-factor"
            name="requireSecondFactor"
            label="Actions here need a second factor"
            hint="Approving, promoting, rolling back, ticking the checklist and changing flags here ask for a code from an authenticator app (or a sign-in whose identity provider reported multi-factor). API tokens cannot do them here."
            defaultChecked={values.secondFactor.required}
            errors={errors("requireSecondFactor")}
          />
          <InputField
            id="settings-second-factor-minutes"
            name="secondFactorMaxAgeMinutes"
            label="A second factor stays valid for (minutes)"
            type="number"
            min={5}
            max={1440}
            step={1}
            inputMode="numeric"
            defaultValue={values.secondFactor.maxAgeMinutes}
            hint="5 to 1440 (a day). After that, people are asked for a code again."
            errors={errors("secondFactorMaxAgeMinutes")}
            className="sm:max-w-xs"
          />
        </div>
      </Card>
    </Section>
  );
}
