"use client";

import { createRoleAction } from "@/app/users/actions";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { InputField } from "@/components/ui/fields";
import { primaryButtonClass } from "@/components/ui/buttons";

// A custom role starts with no permissions anywhere: the access matrix gives it some.

export function UsersNewRoleForm() {
  const { state, pending, formRef, onSubmit } = useServerForm(createRoleAction);
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormOutcome
        state={state}
        success={state?.ok ? <>Role “{state.data.name}” added. Give it permissions in the access matrix.</> : null}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField id="new-role-name" name="name" label="Name" required errors={errorsFor(state, "name")} />
        <InputField
          id="new-role-key"
          name="key"
          label="Key"
          required
          placeholder="release_manager"
          hint="Lower-case letters, digits and underscores; used by the API and SSO group mapping."
          errors={errorsFor(state, "key")}
        />
      </div>
      <InputField
        id="new-role-description"
        name="description"
        label="Description (optional)"
        errors={errorsFor(state, "description")}
      />
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Adding…" : "Add role"}
      </button>
    </form>
  );
}
