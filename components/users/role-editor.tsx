"use client";

import { useEffect } from "react";
import { updateUserRolesAction } from "@/app/users/actions";
import { Dialog, useDialog } from "@/components/ui/dialog";
import { FieldErrors } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { RoleCheckboxes, type RoleOption } from "./role-checkboxes";

// Per-user role editing: the full list of roles as checkboxes in a dialog; saving replaces the
// user's set of roles (user.roles.update). Takes effect at the user's next request.

export function UsersRoleEditor({
  user,
  roles,
}: {
  user: { id: string; label: string; roleKeys: string[] };
  roles: RoleOption[];
}) {
  const dialog = useDialog();
  const { state, pending, formRef, onSubmit } = useServerForm(updateUserRolesAction.bind(null, user.id));
  const errors = errorsFor(state, "roleKeys");
  const { close } = dialog;
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);

  return (
    <>
      <button type="button" className={secondaryButtonClass} onClick={dialog.open}>
        Edit roles<span className="sr-only"> of {user.label}</span>
      </button>
      <Dialog
        dialogRef={dialog.ref}
        title={`Roles of ${user.label}`}
        description="Replaces their roles. What each role may do per environment is set in the access matrix; the change applies at their next request."
      >
        {/* keyed by the saved roles, so reopening after a save starts from what is stored */}
        <form key={user.roleKeys.join()} ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
          <FormOutcome state={state?.ok ? null : state} />
          <RoleCheckboxes
            idPrefix={`roles-${user.id}`}
            legend="Roles"
            roles={roles}
            checked={user.roleKeys}
            errorId={errors.length ? `roles-${user.id}-error` : undefined}
          />
          <FieldErrors id={`roles-${user.id}-error`} messages={errors} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButtonClass} onClick={dialog.close}>
              Cancel
            </button>
            <button type="submit" className={primaryButtonClass} disabled={pending}>
              {pending ? "Saving…" : "Save roles"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
