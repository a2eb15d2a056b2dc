"use client";

import { useState, useTransition } from "react";
import { savePreferencesAction } from "@/app/notifications/actions";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import type { KindPreference } from "@/lib/data/notifications/preferences";
import type { Channels, NotificationKind } from "@/lib/domain/notifications";

// One row per kind of event, a box per channel. What matches the roles' default is saved as
// "default", so a later change of defaults reaches people who never chose otherwise.

type Table = Record<NotificationKind, Channels>;

const same = (a: Channels, b: Channels) => a.inbox === b.inbox && a.email === b.email;

export function PreferencesForm({ kinds, mailConfigured }: { kinds: KindPreference[]; mailConfigured: boolean }) {
  const initial = Object.fromEntries(kinds.map((k) => [k.kind, k.channels])) as Table;
  const [table, setTable] = useState<Table>(initial);
  const [saved, setSaved] = useState<Table>(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const dirty = kinds.some((k) => !same(table[k.kind], saved[k.kind]));

  function set(kind: NotificationKind, channel: keyof Channels, on: boolean) {
    setMessage(null);
    setTable((t) => ({ ...t, [kind]: { ...t[kind], [channel]: on } }));
  }

  function save(next: Table) {
    startTransition(async () => {
      const payload = Object.fromEntries(
        kinds.map((k) => [k.kind, same(next[k.kind], k.defaults) ? "default" : next[k.kind]]),
      ) as Record<string, Channels | "default">;
      const result = await savePreferencesAction({ kinds: payload });
      if (result.ok) {
        const fresh = Object.fromEntries(result.data.kinds.map((k) => [k.kind, k.channels])) as Table;
        setTable(fresh);
        setSaved(fresh);
        setMessage({ ok: true, text: "Saved." });
      } else setMessage({ ok: false, text: result.message });
    });
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save(table);
      }}
      className="space-y-4"
    >
      {!mailConfigured ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          Email is not set up on this Greenlight yet, so nothing is emailed until an admin sets up mail. Your choices
          are kept for then.
        </p>
      ) : null}
      <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full text-sm">
          <caption className="sr-only">Which events reach you, by channel</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Event
              </th>
              <th scope="col" className="px-4 py-2 text-center">
                Inbox
              </th>
              <th scope="col" className="px-4 py-2 text-center">
                Email
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {kinds.map((k) => {
              const row = table[k.kind];
              const isDefault = same(row, k.defaults);
              return (
                <tr key={k.kind}>
                  <th scope="row" className="px-4 py-3 text-left font-normal">
                    <span className="block font-medium text-slate-900">{k.label}</span>
                    <span className="block text-xs text-slate-500">
                      {k.audience}
                      {isDefault ? " · your roles' default" : ""}
                    </span>
                  </th>
                  {(["inbox", "email"] as const).map((channel) => (
                    <td key={channel} className="px-4 py-3 text-center">
                      <input
                        type="checkbox"
                        className="size-4 rounded border-slate-300"
                        checked={row[channel]}
                        onChange={(event) => set(k.kind, channel, event.target.checked)}
                        aria-label={`${k.label}: ${channel === "inbox" ? "Inbox" : "Email"}`}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButtonClass} disabled={pending || !dirty}>
          {pending ? "Saving…" : "Save"}
        </button>
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={pending}
          onClick={() => save(Object.fromEntries(kinds.map((k) => [k.kind, k.defaults])) as Table)}
        >
          Back to my roles&apos; defaults
        </button>
        {message ? (
          <p
            role={message.ok ? "status" : "alert"}
            className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}
          >
            {message.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
