"use client";

import { createUserAction } from "@/app/users/actions";
import { RoleCheckboxes, type RoleOption } from "./role-checkboxes";
import { FieldErrors, InputField } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { primaryButtonClass } from "@/components/ui/buttons";

// Creates a user who signs in with email and password. People who sign in through SSO get
// their account on first sign-in instead, with no roles until an admin grants them here.

export function UsersNewForm({ roles }: { roles: RoleOption[] }) {
  const { state, pending, formRef, onSubmit } = useServerForm(createUserAction);
  const roleErrors = errorsFor(state, "roles");
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormOutcome
        state={state}
        success={
          state?.ok ? (
            <>
              {state.data.name ?? state.data.email} can now sign in as {state.data.email} with the password you chose.
            </>
          ) : null
        }
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          id="new-user-name"
          name="name"
          label="Name"
          autoComplete="off"
          required
          errors={errorsFor(state, "name")}
        />
        <InputField
          id="new-user-email"
          name="email"
          label="Email"
          type="email"
          autoComplete="off"
          required
          errors={errorsFor(state, "email")}
        />
      </div>
      <RoleCheckboxes
        idPrefix="new-user-role"
        legend="Roles"
        roles={roles}
        checked={[]}
        errorId={roleErrors.length ? "new-user-roles-error" : undefined}
      />
      <FieldErrors id="new-user-roles-error" messages={roleErrors} />
      <InputField
        id="new-user-password"
        name="password"
        label="Initial password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters. Tell it to them through a channel you trust."
        errors={errorsFor(state, "password")}
      />
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}
