import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { loadPreset } from "../../presets/load";
import { signedIn, userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../actors/load";
import { deactivateUser, reactivateUser, resetUserPassword } from "../users/users";
import { openSession } from "./sessions";
import { recordSignOut } from "./sign-out";

// A session is a row: the cookie names it, and every request checks it. These are the ways a
// session ends before its time, and what a copy of its cookie can do afterwards (nothing).

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
});

async function sessionOf(userId: string) {
  const id = await openSession({ userId, method: "password", ip: "10.0.0.1", userAgent: "test" });
  return { id, load: () => loadUserActor(userId, id) };
}

describe("server-side sessions", () => {
  it("a session loads with its facts; an unknown, foreign or expired one loads nothing", async () => {
    const ana = await userWithRoles(["admin"]);
    const other = await userWithRoles(["qa"]);
    const session = await sessionOf(ana.id);
    const actor = await session.load();
    expect(actor?.session).toMatchObject({ id: session.id, secondFactorAt: null });
    expect(Math.abs(actor!.session!.authenticatedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await loadUserActor(other.id, session.id)).toBeNull();
    expect(await loadUserActor(ana.id, "0190a3c0-0000-7000-8000-000000000000")).toBeNull();
    await db().session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await session.load()).toBeNull();
  });

  it("signing out ends the session for every copy of its cookie, and only that session", async () => {
    const ana = await userWithRoles(["admin"]);
    const laptop = await sessionOf(ana.id);
    const phone = await sessionOf(ana.id);
    await recordSignOut(await laptop.load());
    expect(await laptop.load()).toBeNull();
    expect(await phone.load()).not.toBeNull();
    expect(await db().session.findUniqueOrThrow({ where: { id: laptop.id } })).toMatchObject({
      revokedReason: "signed out",
    });
    expect(await db().auditEvent.count({ where: { action: "auth.sign_out", actorUserId: ana.id } })).toBe(1);
  });

  it("deactivation ends every session, and reactivation does not bring them back", async () => {
    const admin = await userWithRoles(["admin"]);
    const ana = await userWithRoles(["admin"]);
    const sessions = [await sessionOf(ana.id), await sessionOf(ana.id)];
    await deactivateUser(admin, { userId: ana.id });
    await reactivateUser(admin, { userId: ana.id });
    for (const s of sessions) expect(await s.load()).toBeNull();
    expect(await db().session.count({ where: { userId: ana.id, revokedReason: "deactivated" } })).toBe(2);
  });

  it("a password reset ends the person's sessions, but the one they reset their own password from", async () => {
    const admin = await signedIn(await userWithRoles(["admin"]));
    const ana = await userWithRoles(["qa"]);
    const anaSession = await sessionOf(ana.id);
    await resetUserPassword(admin, { userId: ana.id, password: "a new long password" });
    expect(await anaSession.load()).toBeNull();
    const adminElsewhere = await sessionOf(admin.id);
    await resetUserPassword(admin, { userId: admin.id, password: "another long password" });
    expect(await loadUserActor(admin.id, admin.session!.id)).not.toBeNull();
    expect(await adminElsewhere.load()).toBeNull();
  });
});
