"use client";

import { useState } from "react";
import { FieldErrors, inputClass } from "@/components/ui/fields";

// The changelog with a live size counter. The limit is on UTF-8 bytes, not characters (an
// emoji is 4 bytes), so the counter measures what the server will measure.

const LIMIT = 65_536;
const encoder = new TextEncoder();
const kilobytes = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** "12.3 KB of 64 KB"; rounded towards the limit's side it is on, so "64 KB" is never over it. */
export function changelogSize(bytes: number): string {
  const kb = bytes / 1024;
  const shown = bytes > LIMIT ? Math.ceil(kb * 10) / 10 : Math.floor(kb * 10) / 10;
  return `${kilobytes.format(shown)} KB of ${LIMIT / 1024} KB`;
}

export function ReleaseNewChangelog({ errors }: { errors: string[] }) {
  const [bytes, setBytes] = useState(0);
  const over = bytes > LIMIT;
  const invalid = over || errors.length > 0;
  return (
    <div>
      <div className="flex items-baseline justify-between gap-3">
        <label htmlFor="release-changelog" className="block text-sm font-medium text-slate-700">
          Changelog
        </label>
        <p
          id="release-changelog-size"
          className={`text-xs tabular-nums ${over ? "font-semibold text-red-700" : "text-slate-500"}`}
        >
          {changelogSize(bytes)}
          {over ? " (over the limit)" : ""}
        </p>
      </div>
      <textarea
        id="release-changelog"
        name="changelog"
        rows={10}
        spellCheck
        onChange={(e) => setBytes(encoder.encode(e.currentTarget.value).length)}
        aria-invalid={invalid || undefined}
        aria-describedby={[
          "release-changelog-hint",
          "release-changelog-size",
          errors.length ? "release-changelog-error" : "",
        ]
          .filter(Boolean)
          .join(" ")}
        className={`${inputClass} font-mono`}
      />
      <p id="release-changelog-hint" className="mt-1 text-xs text-slate-500">
        Markdown: headings, lists, **bold**, `code` and [links](https://…). Optional.
      </p>
      {/* announced once when the limit is crossed, not on every keystroke */}
      <p role="status" className="sr-only">
        {over ? "The changelog is over the 64 KB limit." : ""}
      </p>
      <FieldErrors id="release-changelog-error" messages={errors} />
    </div>
  );
}
