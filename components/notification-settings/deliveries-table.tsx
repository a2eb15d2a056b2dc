import type { DeliveryView } from "@/lib/data/notifications/deliveries-read";
import { NOTIFICATION_KIND_META } from "@/lib/domain/notifications";
import { RelativeTime } from "@/components/ui/relative-time";
import { ResendButton } from "./resend-button";

// Recent deliveries, newest first: where each went, how it stands, and what the other side said.

const STATUS_LOOK: Record<DeliveryView["status"], string> = {
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  sending: "bg-sky-50 text-sky-800 ring-sky-200",
  delivered: "bg-green-50 text-green-800 ring-green-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
};

export function DeliveriesTable({ deliveries, now }: { deliveries: DeliveryView[]; now: Date }) {
  return (
    <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Notification deliveries, newest first</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Event
            </th>
            <th scope="col" className="px-3 py-2">
              To
            </th>
            <th scope="col" className="px-3 py-2">
              Attempts
            </th>
            <th scope="col" className="px-3 py-2">
              Last answer
            </th>
            <th scope="col" className="px-3 py-2">
              Created
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {deliveries.map((d) => (
            <tr key={d.id} className="align-top">
              <td className="px-3 py-2">
                <span
                  className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${STATUS_LOOK[d.status]}`}
                >
                  {d.status}
                </span>
                {d.nextAttemptAt ? (
                  <p className="mt-1 text-xs text-slate-500">
                    next <RelativeTime date={new Date(d.nextAttemptAt)} now={now} />
                  </p>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <p className="font-medium text-slate-900">{d.eventTitle}</p>
                <p className="text-xs text-slate-500">
                  {NOTIFICATION_KIND_META[d.kind].label}
                  {d.environmentName ? ` · ${d.environmentName}` : ""}
                </p>
              </td>
              <td className="px-3 py-2">
                <p className="text-slate-900">{d.target}</p>
                <p className="text-xs text-slate-500">{d.channel === "email" ? "email" : "webhook"}</p>
              </td>
              <td className="px-3 py-2 tabular-nums">{d.attempts}</td>
              <td className="max-w-sm px-3 py-2 text-slate-700">
                {d.lastError ? (
                  <p className="break-words">{d.lastError}</p>
                ) : d.lastStatus !== null ? (
                  <p>{d.lastStatus}</p>
                ) : (
                  <p className="text-slate-400">—</p>
                )}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <RelativeTime date={new Date(d.createdAt)} now={now} />
              </td>
              <td className="px-3 py-2 text-right">{d.status === "failed" ? <ResendButton delivery={d} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
