"use client";

import { useRouter } from "next/navigation";
import { releaseHoldAction } from "@/app/environments/[key]/rollback-actions";
import { useStepUpAction } from "@/components/shell/step-up";
import { ConfirmButton } from "@/components/ui/confirm-button";

// Releasing the hold a rollback left: promotions into the environment, automatic ones included,
// may go again. Two clicks; the server checks deploy.trigger (and a second factor where asked).

export function ReleaseHoldButton({
  environmentKey,
  applicationId,
  where,
}: {
  environmentKey: string;
  applicationId: string;
  /** "storefront in Production", said to screen readers after the label */
  where: string;
}) {
  const router = useRouter();
  const release = useStepUpAction(releaseHoldAction);
  return (
    <ConfirmButton
      label="Release hold"
      subject={where}
      consequence="Promotions into it resume, automatic ones included."
      confirmLabel="Release it"
      pendingLabel="Releasing…"
      tone="primary"
      align="start"
      action={() => release({ environmentKey, applicationId })}
      onDone={() => router.refresh()}
    />
  );
}
