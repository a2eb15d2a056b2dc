"use client";

import { saveMailSettingsAction, sendTestEmailAction } from "@/app/notifications/settings/actions";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { CheckboxField, InputField, SelectField } from "@/components/ui/fields";
import { errorsFor, FormOutcome, useFocusFirstInvalid, useServerForm } from "@/components/ui/form";
import type { MailSettingsView } from "@/lib/data/notifications/settings-read";

// The SMTP server notifications are mailed through, and a button that sends a test message
// through what is saved. The password is never typed here: only the name of the environment
// variable on the Greenlight server that holds it.

const SECURITY = [
  { value: "starttls", label: "STARTTLS (usually port 587)" },
  { value: "tls", label: "TLS from the start (usually port 465)" },
  { value: "none", label: "None (a relay on this machine or network)" },
];

export function MailSettingsForm({ mail }: { mail: MailSettingsView | null }) {
  const { state, pending, formRef, onSubmit } = useServerForm(saveMailSettingsAction);
  useFocusFirstInvalid(state, formRef);
  const errors = (field: string) => errorsFor(state, field);
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Mail server">
      <div className="grid gap-4 sm:grid-cols-3">
        <InputField
          id="mail-host"
          name="host"
          label="SMTP host"
          defaultValue={mail?.host ?? ""}
          placeholder="smtp.example.com"
          autoComplete="off"
          errors={errors("host")}
          className="sm:col-span-2"
        />
        <InputField
          id="mail-port"
          name="port"
          label="Port"
          inputMode="numeric"
          defaultValue={mail ? String(mail.port) : "587"}
          errors={errors("port")}
        />
      </div>
      <SelectField
        id="mail-security"
        name="security"
        label="Encryption"
        options={SECURITY}
        defaultValue={mail?.security ?? "starttls"}
        errors={errors("security")}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          id="mail-username"
          name="username"
          label="User name"
          hint="Leave empty when the server takes mail without signing in."
          defaultValue={mail?.username ?? ""}
          autoComplete="off"
          errors={errors("username")}
        />
        <InputField
          id="mail-password-env"
          name="passwordEnvVar"
          label="Password environment variable"
          hint={
            mail?.passwordEnvVar
              ? mail.passwordSet
                ? `${mail.passwordEnvVar} is set on the server.`
                : `${mail.passwordEnvVar} is not set on the server: sign-in will fail.`
              : "The name of the variable holding the password, e.g. SMTP_PASSWORD. The password itself is never stored."
          }
          defaultValue={mail?.passwordEnvVar ?? ""}
          autoComplete="off"
          spellCheck={false}
          errors={errors("passwordEnvVar")}
        />
      </div>
      <InputField
        id="mail-from"
        name="fromAddress"
        label="From address"
        defaultValue={mail?.fromAddress ?? ""}
        placeholder="Greenlight <greenlight@example.com>"
        errors={errors("fromAddress")}
      />
      <CheckboxField
        id="mail-enabled"
        name="enabled"
        label="Send email notifications"
        hint="Off: nobody is emailed; the inbox and webhooks go on."
        defaultChecked={mail?.enabled ?? true}
        errors={errors("enabled")}
      />
      <FormOutcome state={state} success="Mail server saved." />
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Saving…" : "Save mail server"}
      </button>
    </form>
  );
}

export function TestEmailForm({ to, disabled }: { to: string | null; disabled: boolean }) {
  const { state, pending, formRef, onSubmit } = useServerForm(sendTestEmailAction);
  useFocusFirstInvalid(state, formRef);
  const result = state?.ok ? state.data : null;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Send a test email">
      <div className="flex flex-wrap items-end gap-3">
        <InputField
          id="mail-test-to"
          name="to"
          type="email"
          label="Send a test email to"
          defaultValue={to ?? ""}
          errors={errorsFor(state, "to")}
          className="min-w-64 flex-1"
        />
        <button type="submit" className={secondaryButtonClass} disabled={pending || disabled}>
          {pending ? "Sending…" : "Send test email"}
        </button>
      </div>
      {disabled ? <p className="text-sm text-slate-600">Save the mail server first.</p> : null}
      {result ? (
        <p
          role={result.ok ? "status" : "alert"}
          className={`rounded-md px-3 py-2 text-sm ring-1 ${result.ok ? "bg-green-50 text-green-800 ring-green-200" : "bg-red-50 text-red-800 ring-red-200"}`}
        >
          {result.message}
        </p>
      ) : (
        <FormOutcome state={state} />
      )}
    </form>
  );
}
