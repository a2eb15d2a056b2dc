"use client";

import Link from "@/components/ui/link";
import { usePathname } from "next/navigation";
import { useInboxHead, type InboxHead } from "./use-inbox-head";

// The header's way into the inbox: a bell with the unread count, kept current by polling. The
// count is also in the link's accessible name ("Inbox, 3 unread").

export function NotificationBell({ initial }: { initial: InboxHead }) {
  const { data } = useInboxHead(initial);
  const unread = data?.unread ?? initial.unread;
  const current = usePathname() === "/notifications";
  const shown = unread > 99 ? "99+" : String(unread);
  return (
    <Link
      href="/notifications"
      aria-current={current ? "page" : undefined}
      className={`relative inline-flex items-center rounded-md p-1.5 focus-visible:outline-2 focus-visible:outline-slate-900 ${
        current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      }`}
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
        <path d="M10 2a6 6 0 0 0-6 6v2.59l-1.7 1.7A1 1 0 0 0 3 14h14a1 1 0 0 0 .7-1.71L16 10.59V8a6 6 0 0 0-6-6Zm0 16a2.5 2.5 0 0 1-2.45-2h4.9A2.5 2.5 0 0 1 10 18Z" />
      </svg>
      <span className="sr-only">{unread > 0 ? `Inbox, ${unread} unread` : "Inbox, nothing unread"}</span>
      {unread > 0 ? (
        <span
          aria-hidden="true"
          className="absolute -top-1 -right-1 inline-flex min-w-5 items-center justify-center rounded-full bg-rose-600 px-1 text-[11px] leading-5 font-semibold text-white tabular-nums"
        >
          {shown}
        </span>
      ) : null}
    </Link>
  );
}
