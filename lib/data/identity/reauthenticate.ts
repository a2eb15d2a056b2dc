import "server-only";
import { z } from "zod";
import { verifyPassword } from "@/lib/password";
import type { Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { audit } from "../audit/record";
import { ForbiddenError, ValidationError } from "../errors";
import { parseInput } from "../input";
import { markAuthenticated } from "./sessions";

// "Confirm your password": a signed-in person proves who they are again before a sensitive
// action (creating an API token), as the reference products do. It refreshes the session's
// authenticatedAt. People who sign in only through single sign-on sign in again instead.

/** How recent a sign-in must be for sensitive actions (creating API tokens). */
export const RECENT_SIGN_IN_MINUTES = 15;
const MAX_FAILURES = 5;
const WINDOW_MINUTES = 15;

const input = z.object({ password: z.string("Enter your password").min(1, "Enter your password").max(1024) });

export async function confirmPassword(actor: Actor, raw: unknown, ip: string | null = null): Promise<{ at: Date }> {
  if (actor.kind !== "user" || !actor.session) throw new ForbiddenError("Sign in again to do this");
  const { password } = parseInput(input, raw);
  const user = await db().user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user.passwordHash)
    throw new ValidationError("You sign in through single sign-on: sign in again there to confirm it is you", {
      password: ["This account has no password: sign in again through single sign-on"],
    });
  const ok = await verifyPassword(password, user.passwordHash);
  const sessionId = actor.session.id;
  const refused = await db().$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('reauthenticate:' || ${actor.id}))`;
    const failures = await tx.auditEvent.count({
      where: {
        action: "auth.reauthenticate.failed",
        actorUserId: actor.id,
        at: { gt: new Date(Date.now() - WINDOW_MINUTES * 60_000) },
      },
    });
    if (failures >= MAX_FAILURES) return "throttled" as const;
    if (ok) await markAuthenticated(tx, sessionId);
    await audit(tx, actor, {
      action: ok ? "auth.reauthenticate" : "auth.reauthenticate.failed",
      entityType: "User",
      entityId: actor.id,
      ip,
    });
    return ok ? null : ("wrong" as const);
  });
  if (refused === "throttled")
    throw new ValidationError("Too many wrong passwords", {
      password: [`Too many wrong passwords: sign out and in again, or wait ${WINDOW_MINUTES} minutes`],
    });
  if (refused === "wrong")
    throw new ValidationError("That password is not right", { password: ["That password is not right"] });
  return { at: new Date() };
}
