"use client";

import { revokeTokenAction } from "@/app/tokens/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

// Revoking is final, so it takes two clicks: the first asks, the second revokes.

export function TokensRevokeButton({ token }: { token: { id: string; name: string } }) {
  return (
    <ConfirmButton
      label="Revoke"
      subject={`token ${token.name}`}
      consequence="Machines using it are refused at once."
      confirmLabel="Yes, revoke"
      pendingLabel="Revoking…"
      action={() => revokeTokenAction(token.id)}
    />
  );
}
