import "server-only";
import { db } from "../../db";
import type { Tx } from "../context";

// Browser sessions, kept server-side. The session cookie is a signed JWT that names a row here
// (its `sid`); every request loads the row with the user (lib/data/actors/load.ts) and refuses a
// revoked or expired one. So sign-out ends the session for whoever holds a copy of the cookie,
// and deactivation or a password reset ends every session of that person at its next request.

/** How long a session lasts from sign-in, whatever the activity (the cookie's own limit too). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export type SignInMethod = "password" | "oidc" | "github";

export interface NewSession {
  userId: string;
  method: SignInMethod;
  /** the identity provider asserted multi-factor authentication (OIDC `amr` contains "mfa") */
  secondFactor?: boolean;
  ip?: string | null;
  userAgent?: string | null;
}

/** Opens a session at sign-in and returns its id, for the cookie. */
export async function openSession(input: NewSession): Promise<string> {
  const now = new Date();
  const row = await db().session.create({
    data: {
      userId: input.userId,
      method: input.method,
      authenticatedAt: now,
      secondFactorAt: input.secondFactor ? now : null,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 256) ?? null,
    },
    select: { id: true },
  });
  return row.id;
}

/**
 * Ends every open session of a user in the caller's transaction (deactivation, password reset),
 * but the one the change is made from, when the person changes their own password.
 */
export async function revokeUserSessions(
  tx: Tx,
  userId: string,
  reason: string,
  keepSessionId?: string,
): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

/** The person proved who they are again (their password): sensitive actions are open for a while. */
export async function markAuthenticated(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.update({ where: { id: sessionId }, data: { authenticatedAt: new Date() } });
}

/** The person passed a second factor in this session. */
export async function markSecondFactor(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.update({ where: { id: sessionId }, data: { secondFactorAt: new Date() } });
}
