"use client";

import { useSearchParams } from "next/navigation";

/**
 * On a release's page after the "New release" form found it already there at the same commit
 * (app/releases/new/actions.ts adds ?existing=1): says so, since nothing new was created.
 */
export function ReleaseNewNotice() {
  const existing = useSearchParams().get("existing") === "1";
  if (!existing) return null;
  return (
    <p role="status" className="mb-6 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
      This release already existed at that commit, so nothing new was created: here it is as it was.
    </p>
  );
}
