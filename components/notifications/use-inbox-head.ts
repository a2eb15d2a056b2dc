"use client";

import { useQuery } from "@tanstack/react-query";

// The newest of the signed-in person's inbox and the unread count, polled while the tab is
// visible. One query shared by the header's bell and the inbox page (same key, one request).

const INTERVAL_MS = 5000;

export interface InboxHead {
  unread: number;
  newestId: string | null;
}

class InboxRefused extends Error {}

async function fetchHead(): Promise<InboxHead> {
  const response = await fetch("/api/notifications?limit=1", {
    cache: "no-store",
    headers: { accept: "application/json" },
  });
  if (response.status === 401 || response.status === 403) throw new InboxRefused(String(response.status));
  if (!response.ok || response.redirected) throw new Error(`inbox poll answered ${response.status}`);
  const body = (await response.json()) as { unread?: unknown; items?: { id?: unknown }[] };
  const newest = body.items?.[0]?.id;
  return {
    unread: typeof body.unread === "number" ? body.unread : 0,
    newestId: typeof newest === "string" ? newest : null,
  };
}

export function useInboxHead(initial?: InboxHead) {
  return useQuery({
    queryKey: ["inbox-head"],
    queryFn: fetchHead,
    ...(initial ? { initialData: initial, initialDataUpdatedAt: 0 } : {}),
    refetchInterval: (query) => (query.state.error instanceof InboxRefused ? false : INTERVAL_MS),
    retry: false,
    staleTime: 0,
  });
}
