import "server-only";
import type { Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { audit } from "../audit/record";

/**
 * Ends the signed-in session server-side and audits it; Auth.js then clears the cookie. A copy
 * of the cookie stops working too. Nothing to do when signed out.
 */
export async function recordSignOut(actor: Actor | null): Promise<void> {
  if (!actor || actor.kind !== "user") return;
  const sessionId = actor.session?.id;
  await db().$transaction(async (tx) => {
    if (sessionId)
      await tx.session.updateMany({
        where: { id: sessionId, revokedAt: null },
        data: { revokedAt: new Date(), revokedReason: "signed out" },
      });
    await audit(tx, actor, { action: "auth.sign_out", entityType: "User", entityId: actor.id });
  });
}
