"use client";

import { resendDeliveryAction } from "@/app/notifications/deliveries/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

export function ResendButton({ delivery }: { delivery: { id: string; target: string; eventTitle: string } }) {
  return (
    <ConfirmButton
      label="Send again"
      subject={`“${delivery.eventTitle}” to ${delivery.target}`}
      consequence="It is sent once more, with up to six attempts. A receiver that got it before may get it twice."
      confirmLabel="Yes, send again"
      pendingLabel="Sending…"
      tone="primary"
      action={() => resendDeliveryAction(delivery.id)}
    />
  );
}
