"use client";

import { useRef, useState } from "react";
import { secondaryButtonClass } from "./buttons";

// A read-only value with a Copy button (a secret shown once, a command to paste). Without
// clipboard access the value is selected instead, for Ctrl+C.

export function CopyField({
  id,
  label,
  value,
  multiline = false,
}: {
  id: string;
  label: string;
  value: string;
  /** wraps (for a command line), where a single-line field would hide its end */
  multiline?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const fieldClass =
    "block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900";
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // no clipboard access (an insecure origin, a refused permission): select it for Ctrl+C
      inputRef.current?.select();
    }
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1 flex items-start gap-2">
        {multiline ? (
          <textarea
            ref={inputRef}
            id={id}
            readOnly
            rows={2}
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            className={`${fieldClass} resize-none break-all`}
          />
        ) : (
          <input
            ref={inputRef}
            id={id}
            readOnly
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            className={fieldClass}
          />
        )}
        <button type="button" className={`${secondaryButtonClass} shrink-0`} onClick={() => void copy()}>
          Copy<span className="sr-only"> {label.toLowerCase()}</span>
        </button>
      </div>
      <p aria-live="polite" className="mt-1 h-4 text-xs text-green-700">
        {copied ? "Copied to the clipboard." : ""}
      </p>
    </div>
  );
}
