"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

// Keeps a deployment's page current while the deployment can still move: polls its fingerprint
// (app/api/live/deployment) every second and, when it moves, re-renders the page's server
// components in place. Stops once the deployment is final (the page says so) or the server
// refuses for good. A second per poll plus a render keeps everyone within 2 s of a change.

const INTERVAL_MS = 1000;

class Refused extends Error {
  constructor(readonly status: number) {
    super(`deployment poll answered ${status}`);
  }
}

interface Stamp {
  stamp: string;
  final: boolean;
}

async function fetchStamp(deploymentId: string): Promise<Stamp> {
  const response = await fetch(`/api/live/deployment?id=${encodeURIComponent(deploymentId)}`, {
    cache: "no-store",
    headers: { accept: "application/json" },
  });
  if (response.status === 401 || response.status === 403 || response.status === 404) throw new Refused(response.status);
  if (!response.ok || response.redirected) throw new Error(`deployment poll answered ${response.status}`);
  const body: unknown = await response.json();
  if (
    typeof body !== "object" ||
    body === null ||
    !("stamp" in body) ||
    typeof body.stamp !== "string" ||
    !("final" in body) ||
    typeof body.final !== "boolean"
  )
    throw new Error("deployment poll answered without a stamp");
  return { stamp: body.stamp, final: body.final };
}

export function DeploymentLive({ deploymentId, final }: { deploymentId: string; final: boolean }) {
  const router = useRouter();
  const { data, isError, error } = useQuery({
    queryKey: ["deployment-stamp", deploymentId],
    queryFn: () => fetchStamp(deploymentId),
    enabled: !final,
    refetchInterval: (query) =>
      final || query.state.data?.final || query.state.error instanceof Refused ? false : INTERVAL_MS,
    retry: false,
    staleTime: 0,
  });
  const seen = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!data) return;
    // the first answer is the baseline, unless it already says the deployment ended
    if ((seen.current !== undefined && seen.current !== data.stamp) || (seen.current === undefined && data.final))
      router.refresh();
    seen.current = data.stamp;
  }, [data, router]);

  const refused = error instanceof Refused ? error.status : null;
  const [dot, text, more] = final
    ? ["bg-slate-400", "Finished", ": this deployment will not change any more"]
    : refused === 401
      ? ["bg-slate-400", "Signed out", ": sign in again to follow it"]
      : refused
        ? ["bg-slate-400", "Not live", ": this deployment is no longer visible to you"]
        : isError
          ? ["bg-amber-500", "Reconnecting…", ": updates paused until the server answers"]
          : ["bg-green-500 motion-safe:animate-pulse", "Live", ": updates every second"];
  return (
    <span role="status" className="inline-flex items-center gap-1.5 text-xs font-medium text-slate-500">
      <span aria-hidden="true" className={`size-2 rounded-full ${dot}`} />
      {text}
      <span className="sr-only">{more}</span>
    </span>
  );
}
