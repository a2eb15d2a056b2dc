"use client";

import { useEffect, useRef, useState } from "react";
import { FieldErrors, inputClass } from "@/components/ui/fields";
import { secondaryButtonClass } from "@/components/ui/buttons";

// Links shown on the release page (pull request, ticket, build). Rows carry a stable id in a
// hidden input, so the form can tie the server's "links.2.url" messages back to the row the
// person typed them in, even after rows were removed or blank ones skipped.

export const MAX_LINKS = 20;

export interface LinkErrors {
  label: string[];
  url: string[];
}

let nextRow = 0;
const newRow = () => `row${++nextRow}`;

export function ReleaseNewLinks({
  errorsFor,
  listErrors,
}: {
  errorsFor: (rowId: string) => LinkErrors;
  listErrors: string[];
}) {
  const [rows, setRows] = useState<string[]>([]);
  const [focusRow, setFocusRow] = useState<string | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusRow) document.getElementById(`release-link-${focusRow}-label`)?.focus();
  }, [focusRow]);

  function add() {
    if (rows.length >= MAX_LINKS) return;
    const id = newRow();
    setRows((current) => [...current, id]);
    setFocusRow(id);
  }

  function remove(id: string) {
    setRows((current) => current.filter((row) => row !== id));
    setFocusRow(null);
    addRef.current?.focus();
  }

  const full = rows.length >= MAX_LINKS;
  return (
    <fieldset aria-describedby={listErrors.length ? "release-links-error" : "release-links-hint"}>
      <legend className="text-sm font-medium text-slate-700">Links</legend>
      <p id="release-links-hint" className="text-xs text-slate-500">
        Optional, up to {MAX_LINKS}: the pull request, the ticket, the build. Blank rows are ignored.
      </p>
      {rows.length ? (
        <ol className="mt-2 space-y-3">
          {rows.map((id, index) => {
            const errors = errorsFor(id);
            const base = `release-link-${id}`;
            return (
              <li key={id} className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-start">
                <input type="hidden" name="linkRow" value={id} />
                <LinkInput
                  id={`${base}-label`}
                  name="linkLabel"
                  label={`Link ${index + 1} label`}
                  errors={errors.label}
                  placeholder="Pull request"
                />
                <LinkInput
                  id={`${base}-url`}
                  name="linkUrl"
                  label={`Link ${index + 1} address`}
                  errors={errors.url}
                  placeholder="https://…"
                  type="url"
                />
                <button type="button" onClick={() => remove(id)} className={`${secondaryButtonClass} sm:mt-6`}>
                  Remove<span className="sr-only"> link {index + 1}</span>
                </button>
              </li>
            );
          })}
        </ol>
      ) : null}
      <button
        ref={addRef}
        type="button"
        onClick={add}
        aria-disabled={full || undefined}
        className={`${secondaryButtonClass} mt-3`}
      >
        Add link
      </button>
      {full ? <p className="mt-1 text-xs text-slate-500">That is the most a release can have.</p> : null}
      <FieldErrors id="release-links-error" messages={listErrors} />
    </fieldset>
  );
}

function LinkInput({
  id,
  name,
  label,
  errors,
  placeholder,
  type = "text",
}: {
  id: string;
  name: string;
  label: string;
  errors: string[];
  placeholder: string;
  type?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        placeholder={placeholder}
        autoComplete="off"
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={errors.length ? `${id}-error` : undefined}
        className={inputClass}
      />
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}
