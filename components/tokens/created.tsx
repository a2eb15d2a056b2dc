"use client";

import { useEffect, useRef } from "react";
import { secondaryButtonClass } from "@/components/ui/buttons";
import { CopyField } from "@/components/ui/copy-field";

// The one moment a token's secret is visible: Greenlight keeps only its hash, so this panel
// says so plainly, offers a Copy button and shows how a machine presents it.

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
