"use client";

import { archiveFlagAction, restoreFlagAction } from "@/app/flags/[key]/actions";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { InputField } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useFocusFirstInvalid, useServerForm } from "@/components/ui/form";

// Archive (or restore) a flag, with the reason its history keeps. The key is bound here and
// checked again by the server, which also checks flag.manage.

export function FlagArchiveForm({
  flagKey,
  flagName,
  archived,
}: {
  flagKey: string;
  flagName: string;
  archived: boolean;
}) {
  const action = (archived ? restoreFlagAction : archiveFlagAction).bind(null, flagKey);
  const { state, pending, formRef, onSubmit } = useServerForm(action);
  useFocusFirstInvalid(state, formRef);
  const verb = archived ? "Restore" : "Archive";
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={`${verb} ${flagName}`} className="space-y-3">
      <FormOutcome state={state?.ok ? null : state} />
      <InputField
        id={`flag-${archived ? "restore" : "archive"}-reason`}
        name="reason"
        label={archived ? "Why serve it again" : "Why archive it"}
        required
        autoComplete="off"
        placeholder={archived ? "Needed again for the spring sale" : "Fully rolled out, code removed"}
        hint="Kept in the flag's history."
        errors={errorsFor(state, "reason")}
      />
      <button type="submit" disabled={pending} className={archived ? secondaryButtonClass : dangerButtonClass}>
        {pending ? (archived ? "Restoring…" : "Archiving…") : `${verb} flag`}
      </button>
    </form>
  );
}
