import "server-only";
import { db } from "../db";
import { getActor } from "./actor";
import { audit } from "./audit";

/** Audits a sign-out (the cookie itself is cleared by Auth.js). Nothing to do when signed out. */
export async function recordSignOut(): Promise<void> {
  const actor = await getActor();
  if (!actor) return;
  await db().$transaction((tx) =>
    audit(tx, actor, { action: "auth.sign_out", entityType: "User", entityId: actor.id }),
  );
}
