"use client";

import { deleteChannelAction } from "@/app/notifications/settings/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

// Removing a channel drops its pending deliveries too, so it takes two clicks.

export function ChannelDelete({ channel }: { channel: { id: string; name: string; environmentKey: string | null } }) {
  return (
    <ConfirmButton
      label="Remove"
      subject={`channel “${channel.name}”`}
      consequence="It receives nothing more, and its pending deliveries are dropped."
      confirmLabel="Yes, remove"
      pendingLabel="Removing…"
      action={() => deleteChannelAction(channel.environmentKey, channel.id)}
    />
  );
}
