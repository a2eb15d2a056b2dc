"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";

// "Show only differences": on by default; off adds show=all to the address, so a shared link
// shows what its sender saw.

export function DriftToggle({
  onlyDifferences,
  href,
}: {
  onlyDifferences: boolean;
  href: { only: string; all: string };
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [checked, setChecked] = useOptimistic(onlyDifferences);
  return (
    <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
      <input
        type="checkbox"
        className="size-4 rounded border-slate-300 accent-slate-900"
        checked={checked}
        aria-busy={pending || undefined}
        onChange={(e) => {
          const only = e.currentTarget.checked;
          startTransition(() => {
            setChecked(only);
            router.replace(only ? href.only : href.all, { scroll: false });
          });
        }}
      />
      Show only differences
    </label>
  );
}
