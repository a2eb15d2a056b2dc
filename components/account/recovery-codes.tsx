"use client";

import { useEffect, useRef } from "react";
import { compactPrimaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { CopyButton } from "./copy-button";

// The recovery codes, the only time they are visible: Greenlight keeps only their hashes. The
// person copies or downloads them and says they have saved them before the page moves on.

function asText(codes: string[], email: string): string {
  return [
    `Greenlight recovery codes for ${email}`,
    "Each code works once, in place of a code from your authenticator app.",
    "",
    ...codes,
    "",
  ].join("\n");
}

export function RecoveryCodes({ codes, email, onSaved }: { codes: string[]; email: string; onSaved: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // the form the focus was in has gone: start reading here
  useEffect(() => heading.current?.focus(), []);

  function download() {
    const url = URL.createObjectURL(new Blob([asText(codes, email)], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "greenlight-recovery-codes.txt";
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="space-y-4">
      <h3 ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none">
        Your authenticator app is set up. Save your recovery codes
      </h3>
      <div
        role="note"
        aria-label="Shown once"
        className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-300"
      >
        <p className="font-semibold">These codes are shown only this once.</p>
        <p>
          If you lose your phone, each code lets you in once in place of a code from the app. Keep them somewhere safe,
          such as a password manager. Greenlight stores only a fingerprint of each and cannot show them again.
        </p>
      </div>
      <ol
        aria-label="Recovery codes"
        className="grid max-w-md grid-cols-2 gap-x-6 gap-y-1 rounded-md bg-slate-50 px-4 py-3 font-mono text-sm text-slate-900 ring-1 ring-slate-200"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-2">
        <CopyButton value={codes.join("\n")} label="Copy codes" what="Recovery codes" />
        <button type="button" className={secondaryButtonClass} onClick={download}>
          Download (.txt)
        </button>
      </div>
      <button type="button" className={compactPrimaryButtonClass} onClick={onSaved}>
        I have saved them
      </button>
    </div>
  );
}
