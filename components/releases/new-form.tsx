"use client";

import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { createReleaseAction } from "@/app/releases/new/actions";
import { ReleaseNewApplication, type ApplicationOption } from "./new-application";
import { ReleaseNewChangelog } from "./new-changelog";
import { ReleaseNewLinks, type LinkErrors } from "./new-links";
import { InputField } from "@/components/ui/fields";
import { primaryButtonClass } from "@/components/ui/buttons";
import { type FormState } from "@/components/ui/form";

// A release by hand, as CI would post it. The server validates everything again; this form
// shapes the request (the commit time becomes an instant in the browser's time zone, blank
// link rows are dropped) and puts each 422 message next to its field, focusing the first.

type State = FormState<never>;

const FIELDS = ["application", "version", "commitSha", "commitAt", "title", "changelog", "links"];

const exactly = (state: State, key: string): string[] => (state && !state.ok ? (state.fieldErrors?.[key] ?? []) : []);

const str = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

/** The <input type="datetime-local"> value, read as local time, as an ISO instant. */
function localToIso(value: string): string {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function ReleaseNewForm({
  applications,
  defaultApplication,
}: {
  applications: ApplicationOption[];
  defaultApplication?: string;
}) {
  const [state, dispatch, pending] = useActionState<State, FormData>(createReleaseAction, null);
  // the link rows that were sent, in order: "links.<i>" messages belong to the i-th of these
  const [sentRows, setSentRows] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (!state || state.ok) return;
    const invalid = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']");
    (invalid ?? alertRef.current)?.focus();
  }, [state]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const rows = data.getAll("linkRow").map(str);
    const labels = data.getAll("linkLabel").map(str);
    const urls = data.getAll("linkUrl").map(str);
    const kept = rows.flatMap((id, i) => {
      const label = labels[i] ?? "";
      const url = urls[i] ?? "";
      return label.trim() || url.trim() ? [{ id, label, url }] : [];
    });
    for (const name of ["linkRow", "linkLabel", "linkUrl"]) data.delete(name);
    for (const { label, url } of kept) {
      data.append("linkLabel", label);
      data.append("linkUrl", url);
    }
    data.set("commitAt", localToIso(str(data.get("commitAt"))));
    setSentRows(kept.map((row) => row.id));
    startTransition(() => dispatch(data));
  }

  function linkErrors(rowId: string): LinkErrors {
    const i = sentRows.indexOf(rowId);
    if (i < 0) return { label: [], url: [] };
    return { label: exactly(state, `links.${i}.label`), url: exactly(state, `links.${i}.url`) };
  }

  const failure = state && !state.ok ? state : null;
  const fieldErrors = Object.entries(failure?.fieldErrors ?? {});
  const shown = new Set([...FIELDS, ...sentRows.flatMap((_, i) => [`links.${i}.label`, `links.${i}.url`])]);
  // messages no field shows (none expected, but never swallowed)
  const placed = fieldErrors.some(([key]) => shown.has(key));
  const unplaced = fieldErrors.filter(([key]) => !shown.has(key)).flatMap(([, messages]) => messages);

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-5">
      {failure ? (
        <p
          ref={alertRef}
          tabIndex={-1}
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
        >
          {placed ? "Some fields need attention: see the messages next to them." : failure.message}
          {unplaced.map((message) => (
            <span key={message} className="block">
              {message}
            </span>
          ))}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <ReleaseNewApplication
          applications={applications}
          defaultApplication={defaultApplication}
          errors={exactly(state, "application")}
        />
        <InputField
          id="release-version"
          name="version"
          label="Version"
          required
          autoComplete="off"
          placeholder="1.4.0"
          hint="A semantic version: 1.4.0, v2.0.0-rc.1."
          errors={exactly(state, "version")}
        />
        <InputField
          id="release-commit-sha"
          name="commitSha"
          label="Commit SHA"
          required
          autoComplete="off"
          placeholder="3f2a9c1"
          hint="7 to 40 hexadecimal characters."
          errors={exactly(state, "commitSha")}
        />
        <InputField
          id="release-commit-at"
          name="commitAt"
          label="Commit time (optional)"
          type="datetime-local"
          hint="In your time zone."
          errors={exactly(state, "commitAt")}
        />
        <InputField
          id="release-branch"
          name="branch"
          label="Branch (optional)"
          autoComplete="off"
          spellCheck={false}
          placeholder="main"
          hint="What it was built from. Environments may take only some branches."
          errors={exactly(state, "branch")}
        />
      </div>
      <InputField
        id="release-title"
        name="title"
        label="Title"
        required
        autoComplete="off"
        placeholder="Checkout with saved cards"
        errors={exactly(state, "title")}
      />
      <ReleaseNewChangelog errors={exactly(state, "changelog")} />
      <ReleaseNewLinks errorsFor={linkErrors} listErrors={exactly(state, "links")} />
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Creating…" : "Create release"}
      </button>
    </form>
  );
}
