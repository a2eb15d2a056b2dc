import type { ChannelView } from "@/lib/data/notifications/settings-read";
import { NOTIFICATION_KIND_META } from "@/lib/domain/notifications";
import { EmptyState } from "@/components/ui/empty-state";
import { ChannelDelete } from "./channel-delete";
import { ChannelForm, type ChannelFormPlaces } from "./channel-form";

// The channels the reader manages, each with its form folded away under "Edit".

export function ChannelList({ channels, places }: { channels: ChannelView[]; places: ChannelFormPlaces }) {
  if (!channels.length)
    return <EmptyState title="No channels yet">Add one below to post notifications to a chat or a webhook.</EmptyState>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      {channels.map((c) => (
        <li key={c.id} className="p-4">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0">
              <p className="font-medium text-slate-900">
                {c.name}
                {!c.enabled ? (
                  <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">disabled</span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600">
                {c.format === "slack" ? "Slack" : "Standard Webhooks"} · {c.environmentName ?? "every environment"} ·{" "}
                {c.applicationKey ?? "every application"} · posts to{" "}
                {c.urlEnvVar ? (
                  <>
                    <code className="font-mono text-xs">{c.urlEnvVar}</code>
                    {c.urlSet ? "" : " (not set)"}
                  </>
                ) : (
                  c.urlOrigin
                )}
              </p>
              <p className="text-xs text-slate-500">
                {c.kinds.length ? c.kinds.map((k) => NOTIFICATION_KIND_META[k].label).join(" · ") : "Every event"}
              </p>
            </div>
            <ChannelDelete channel={c} />
          </div>
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-slate-700">Edit {c.name}</summary>
            <div className="mt-3">
              <ChannelForm channel={c} places={places} />
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
