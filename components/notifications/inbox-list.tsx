"use client";

import Link from "@/components/ui/link";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { markReadAction } from "@/app/notifications/actions";
import { secondaryButtonClass } from "@/components/ui/buttons";
import { RelativeTime } from "@/components/ui/relative-time";
import type { InboxItem } from "@/lib/data/notifications/inbox";
import { NOTIFICATION_KIND_META } from "@/lib/domain/notifications";

// The inbox: newest first, unread ones marked, each linking to the page it is about. Opening an
// item marks it read; "Mark read" and "Mark all read" do so without leaving. New notifications
// appear by themselves (InboxRefresh).

export function InboxList({ items, unread, now }: { items: InboxItem[]; unread: number; now: Date }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  function mark(input: { ids: string[] } | { all: true }) {
    setError(null);
    startTransition(async () => {
      const result = await markReadAction(input);
      if (!result.ok) setError(result.message);
      await queryClient.invalidateQueries({ queryKey: ["inbox-head"] });
      router.refresh();
    });
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600" aria-live="polite">
          {unread === 0 ? "Nothing unread." : `${unread} unread.`}
        </p>
        {unread > 0 ? (
          <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => mark({ all: true })}>
            Mark all read
          </button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {error}
        </p>
      ) : null}
      <ul
        aria-label="Notifications"
        className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      >
        {items.map((item) => {
          const isUnread = item.readAt === null;
          return (
            <li key={item.id} className={`flex gap-3 px-4 py-3 ${isUnread ? "bg-sky-50/60" : ""}`}>
              <span
                aria-hidden="true"
                className={`mt-1.5 size-2 shrink-0 rounded-full ${isUnread ? "bg-sky-600" : "bg-transparent"}`}
              />
              <div className="min-w-0 flex-1">
                <p className="text-sm">
                  <Link
                    href={item.path}
                    onClick={() => {
                      if (isUnread) void markReadAction({ ids: [item.id] });
                    }}
                    className={`rounded-sm underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-slate-900 ${
                      isUnread ? "font-semibold text-slate-900" : "text-slate-700"
                    }`}
                  >
                    {item.title}
                  </Link>
                  {isUnread ? <span className="sr-only"> (unread)</span> : null}
                </p>
                <p className="mt-0.5 text-sm break-words text-slate-600">{item.body}</p>
                <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                  <span>{NOTIFICATION_KIND_META[item.kind].label}</span>
                  {item.environment ? (
                    <span className="inline-flex items-center gap-1">
                      <span
                        aria-hidden="true"
                        className="size-2 rounded-full"
                        style={{ backgroundColor: item.environment.color }}
                      />
                      {item.environment.name}
                    </span>
                  ) : null}
                  <RelativeTime date={new Date(item.createdAt)} now={now} />
                </p>
              </div>
              {isUnread ? (
                <button
                  type="button"
                  className="self-start rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-slate-900"
                  disabled={pending}
                  onClick={() => mark({ ids: [item.id] })}
                >
                  Mark read<span className="sr-only">: {item.title}</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
