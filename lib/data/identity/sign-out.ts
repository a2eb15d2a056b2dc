import "server-only";
import type { Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { audit } from "../audit/record";

/** Audits a sign-out (the cookie itself is cleared by Auth.js). Nothing to do when signed out. */
export async function recordSignOut(actor: Actor | null): Promise<void> {
  if (!actor) return;
  await db().$transaction((tx) =>
    audit(tx, actor, { action: "auth.sign_out", entityType: "User", entityId: actor.id }),
  );
}
