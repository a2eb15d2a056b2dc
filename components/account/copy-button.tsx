"use client";

import { useState } from "react";
import { secondaryButtonClass } from "@/components/ui/buttons";

/** Copies `value` to the clipboard and says so; where the browser refuses, says to select it instead. */
export function CopyButton({ value, label, what }: { value: string; label: string; what: string }) {
  const [said, setSaid] = useState("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setSaid(`${what} copied to the clipboard.`);
    } catch {
      // no clipboard access (an insecure origin, a refused permission)
      setSaid(`Could not copy: select the ${what.toLowerCase()} and copy it yourself.`);
    }
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={secondaryButtonClass} onClick={() => void copy()}>
        {label}
      </button>
      <span aria-live="polite" className="text-xs text-slate-600">
        {said}
      </span>
    </span>
  );
}
