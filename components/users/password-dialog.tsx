"use client";

import { resetPasswordAction } from "@/app/users/actions";
import { Dialog, useDialog } from "@/components/ui/dialog";
import { FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { InputField } from "@/components/ui/fields";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";

// An admin sets a new password for someone who lost theirs (user.password.reset). The new
// password is typed here and told to the person through a channel of the admin's choosing.

export function UsersPasswordDialog({ user }: { user: { id: string; label: string } }) {
  const dialog = useDialog();
  const { state, pending, formRef, onSubmit } = useServerForm(resetPasswordAction.bind(null, user.id));
  const fieldId = `password-${user.id}`;
  return (
    <>
      <button type="button" className={secondaryButtonClass} onClick={dialog.open}>
        Set password<span className="sr-only"> of {user.label}</span>
      </button>
      <Dialog
        dialogRef={dialog.ref}
        title={`New password for ${user.label}`}
        description="Their current password stops working. Tell them the new one through a channel you trust."
      >
        <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
          <FormOutcome state={state} success="Password changed." />
          <InputField
            id={fieldId}
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 12 characters."
            errors={errorsFor(state, "password")}
          />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButtonClass} onClick={dialog.close}>
              {state?.ok ? "Close" : "Cancel"}
            </button>
            <button type="submit" className={primaryButtonClass} disabled={pending}>
              {pending ? "Saving…" : "Set password"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
