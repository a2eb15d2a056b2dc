import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { signedIn, userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../actors/load";
import type { TokenActor } from "../../domain/access";
import { ForbiddenError } from "../errors";
import { accountSecurity } from "./security";

// What the Security page and the "confirm it's you" dialog know about how a person proves who
// they are: a password to confirm, or an identity provider to sign in again with.

beforeEach(async () => {
  await resetDatabase();
});

describe("accountSecurity", () => {
  it("a built-in account has a password; the session says how it signed in and when", async () => {
    const ana = await signedIn(await userWithRoles([]), { signedInMinutesAgo: 20 });
    await db().user.update({ where: { id: ana.id }, data: { passwordHash: "scrypt$not-a-real-hash" } });
    const security = await accountSecurity(ana);
    expect(security).toMatchObject({ hasPassword: true, signInMethod: "password", providers: [] });
    expect(Date.now() - security.authenticatedAt!.getTime()).toBeGreaterThanOrEqual(20 * 60_000 - 1_000);
  });

  it("an account from single sign-on has no password, its providers and the session's method", async () => {
    const sam = await userWithRoles([]);
    await db().user.update({ where: { id: sam.id }, data: { passwordHash: null } });
    await db().account.create({
      data: { userId: sam.id, type: "oidc", provider: "oidc", providerAccountId: `sub-${sam.id}` },
    });
    const session = await db().session.create({
      data: { userId: sam.id, method: "oidc", expiresAt: new Date(Date.now() + 3600_000) },
    });
    const actor = (await loadUserActor(sam.id, session.id))!;
    expect(await accountSecurity(actor)).toMatchObject({
      hasPassword: false,
      signInMethod: "oidc",
      providers: ["oidc"],
    });
  });

  it("outside a session (scripts) there is no sign-in method; another person's session is not read", async () => {
    const ana = await userWithRoles([]);
    const bob = await signedIn(await userWithRoles([]));
    expect(await accountSecurity(ana)).toMatchObject({ signInMethod: null, authenticatedAt: null });
    // ana's actor carrying bob's session id (never happens through loadUserActor) reads nothing of bob's
    const forged = { ...ana, session: bob.session! };
    expect((await accountSecurity(forged)).signInMethod).toBeNull();
  });

  it("refuses an API token: it has no account", async () => {
    const token: TokenActor = {
      kind: "token",
      id: "t",
      name: "ci",
      permissions: new Set(),
      environmentIds: null,
      owner: { id: "o", label: "owner", global: new Set(), byEnvironment: new Map() },
    };
    await expect(accountSecurity(token)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
