"use client";

import { useEffect, useRef, useState } from "react";
import { secondaryButtonClass } from "@/components/ui/buttons";

// The one moment a token's secret is visible: Greenlight keeps only its hash, so this panel
// says so plainly, offers a Copy button and shows how a machine presents it.

function CopyField({
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

export function TokensCreated({
  name,
  plaintext,
  origin,
  onDone,
}: {
  name: string;
  plaintext: string;
  origin: string;
  onDone: () => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // announced and reachable at once: focus moves to the panel when it appears
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="space-y-3 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
      <h3 ref={headingRef} tabIndex={-1} className="font-semibold text-slate-900 outline-none">
        Token “{name}” created
      </h3>
      <p className="text-sm text-amber-900">
        <strong>Copy it now: it will not be shown again.</strong> Greenlight stores only a hash of it. If it is lost,
        revoke it and create a new one.
      </p>
      <CopyField id="created-token" label="Token" value={plaintext} />
      <CopyField
        id="created-token-curl"
        label="Try it"
        multiline
        value={`curl -H "Authorization: Bearer ${plaintext}" ${origin}/api/health`}
      />
      <button type="button" className={secondaryButtonClass} onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}
