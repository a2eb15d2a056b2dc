"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

// Keeps a server-rendered page current: polls /api/live for the change stamp and, when it
// moves, asks the router to re-render the page's server components in place (no reload, no
// lost scroll or form input). Render it once per page; polling pauses in background tabs.

const INTERVAL_MS = 1500;

/** The server said no for good (401 signed out, 403 nothing to watch): asking again cannot help. */
export class LiveRefused extends Error {
  constructor(readonly status: 401 | 403) {
    super(`live poll answered ${status}`);
  }
}

async function fetchStamp(): Promise<string> {
  const response = await fetch("/api/live", { cache: "no-store", headers: { accept: "application/json" } });
  if (response.status === 401 || response.status === 403) throw new LiveRefused(response.status);
  // a lapsed session sent to the sign-in page is a failed poll, not a stamp
  if (!response.ok || response.redirected) throw new Error(`live poll answered ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null || !("stamp" in body) || typeof body.stamp !== "string")
    throw new Error("live poll answered without a stamp");
  return body.stamp;
}

/** The current change stamp, polled every 1.5 s while the tab is visible. */
export function useLiveStamp() {
  return useQuery({
    queryKey: ["live-stamp"],
    queryFn: fetchStamp,
    // a refusal stops the polling; other failures (server restarting, network) are retried
    refetchInterval: (query) => (query.state.error instanceof LiveRefused ? false : INTERVAL_MS),
    // each poll is its own retry; a failure shows at once as "Reconnecting…"
    retry: false,
    staleTime: 0,
  });
}

/**
 * `since`: the stamp read while the page rendered, if the page has it; then a change between
 * the render and the first poll refreshes too. Without it the first poll is the baseline.
 */
export function LiveRefresh({ since, className = "" }: { since?: string; className?: string }) {
  const router = useRouter();
  const { data: stamp, isError, error } = useLiveStamp();
  const refused = error instanceof LiveRefused ? error.status : null;
  const seen = useRef<string | undefined>(since);

  useEffect(() => {
    if (stamp === undefined) return;
    if (seen.current !== undefined && seen.current !== stamp) router.refresh();
    seen.current = stamp;
  }, [stamp, router]);

  if (refused)
    return (
      <span
        role="status"
        className={`inline-flex items-center gap-1.5 text-xs font-medium text-slate-500 ${className}`}
      >
        <span aria-hidden="true" className="size-2 rounded-full bg-slate-400" />
        {refused === 401 ? (
          <>
            Signed out:{" "}
            <a href="/sign-in" className="underline">
              sign in again
            </a>
          </>
        ) : (
          "Not live: you may see no environment"
        )}
      </span>
    );

  return (
    <span
      role="status"
      title="Updates every few seconds"
      className={`inline-flex items-center gap-1.5 text-xs font-medium text-slate-500 ${className}`}
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${isError ? "bg-amber-500" : "bg-green-500 motion-safe:animate-pulse"}`}
      />
      {isError ? "Reconnecting…" : "Live"}
      <span className="sr-only">
        {isError ? ": updates paused until the server answers" : ": updates every few seconds"}
      </span>
    </span>
  );
}
