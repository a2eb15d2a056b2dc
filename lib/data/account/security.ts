import "server-only";
import type { Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { ForbiddenError } from "../errors";

// How the signed-in person proves who they are, for their Security page and the "confirm it's
// you" dialog: whether they have a password to confirm, and how this session signed in (an
// identity provider's own second factor counts when it says so). Their own account only, so
// no matrix permission; tokens have no account.

export interface AccountSecurity {
  /** a built-in password exists: "confirm your password" can work */
  hasPassword: boolean;
  /** how this session signed in: "password", "oidc", "github" (null outside a session) */
  signInMethod: string | null;
  /** the identity providers linked to the account ("oidc", "github") */
  providers: string[];
  /** when this session last proved who the person is (sign-in or password again) */
  authenticatedAt: Date | null;
}

export async function accountSecurity(actor: Actor): Promise<AccountSecurity> {
  if (actor.kind !== "user") throw new ForbiddenError("Only a person has an account to secure");
  const sessionId = actor.session?.id ?? null;
  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.id },
    select: {
      passwordHash: true,
      accounts: { select: { provider: true }, orderBy: { provider: "asc" } },
      sessions: { where: { id: sessionId ?? undefined }, select: { method: true }, take: sessionId ? 1 : 0 },
    },
  });
  return {
    hasPassword: user.passwordHash !== null,
    signInMethod: user.sessions[0]?.method ?? null,
    providers: [...new Set(user.accounts.map((a) => a.provider))],
    authenticatedAt: actor.session?.authenticatedAt ?? null,
  };
}
