"use client";

import { useId } from "react";
import { createFlagAction } from "@/app/flags/new/actions";
import { primaryButtonClass } from "@/components/ui/buttons";
import { FieldErrors, InputField, inputClass } from "@/components/ui/fields";
import { FormOutcome, errorsFor, useFocusFirstInvalid, useServerForm } from "@/components/ui/form";

// A new flag: its key (for ever: applications ask for it by key), and words for people. The
// server checks everything again and answers each field; success goes to the flag's page.

export function FlagNewForm({ categories }: { categories: string[] }) {
  const { state, pending, formRef, onSubmit } = useServerForm<never>(createFlagAction);
  useFocusFirstInvalid(state, formRef);
  const listId = useId();
  const descriptionErrors = errorsFor(state, "description");
  // messages for no field of this form (none expected, never swallowed)
  const known = ["key", "name", "description", "category", "owner"];
  const other =
    state && !state.ok
      ? Object.entries(state.fieldErrors ?? {})
          .filter(([field]) => !known.includes(field.split(".")[0] ?? ""))
          .flatMap(([, messages]) => messages)
      : [];

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-5" aria-label="New flag">
      <FormOutcome state={state} />
      <FieldErrors id="flag-other-error" messages={other} />
      <InputField
        id="flag-key"
        name="key"
        label="Key"
        required
        autoComplete="off"
        spellCheck={false}
        placeholder="checkoutV2"
        hint="What applications ask for; it cannot change later. A lowercase letter first, then letters, digits, “_”, “.” or “-” (2 to 64 characters)."
        errors={errorsFor(state, "key")}
      />
      <InputField
        id="flag-name"
        name="name"
        label="Name (optional)"
        autoComplete="off"
        placeholder="Checkout v2"
        hint="For people. Left empty, it is made from the key."
        errors={errorsFor(state, "name")}
      />
      <div>
        <label htmlFor="flag-description" className="block text-sm font-medium text-slate-700">
          Description (optional)
        </label>
        <textarea
          id="flag-description"
          name="description"
          rows={3}
          maxLength={500}
          className={inputClass}
          aria-invalid={descriptionErrors.length ? true : undefined}
          aria-describedby={`flag-description-hint${descriptionErrors.length ? " flag-description-error" : ""}`}
        />
        <p id="flag-description-hint" className="mt-1 text-xs text-slate-500">
          What it turns on, and when it can go. At most 500 characters.
        </p>
        <FieldErrors id="flag-description-error" messages={descriptionErrors} />
      </div>
      <div className="grid gap-5 sm:grid-cols-2">
        <InputField
          id="flag-category"
          name="category"
          label="Category"
          defaultValue="general"
          autoComplete="off"
          list={listId}
          hint="One lowercase word, e.g. commerce. The grid groups flags by it."
          errors={errorsFor(state, "category")}
        />
        <datalist id={listId}>
          {categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <InputField
          id="flag-owner"
          name="owner"
          label="Owner (optional)"
          autoComplete="off"
          placeholder="team-payments"
          hint="A team or a person who answers for it."
          errors={errorsFor(state, "owner")}
        />
      </div>
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Creating…" : "Create flag"}
      </button>
    </form>
  );
}
