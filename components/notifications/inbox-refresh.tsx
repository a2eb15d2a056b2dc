"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useInboxHead, type InboxHead } from "./use-inbox-head";

// Keeps the inbox page current: `since` is what the page was rendered with; a newer item or
// another unread count in the bell's poll (one shared query) re-renders the page in place.
export function InboxRefresh({ since }: { since: InboxHead }) {
  const router = useRouter();
  const { data: head } = useInboxHead();
  const seen = useRef<InboxHead>(since);
  useEffect(() => {
    if (!head) return;
    const before = seen.current;
    seen.current = head;
    if (before.newestId !== head.newestId || before.unread !== head.unread) router.refresh();
  }, [head, router]);
  return null;
}
