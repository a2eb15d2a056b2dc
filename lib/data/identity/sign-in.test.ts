import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it } from "vitest";
import { SIGN_IN_DELAYS } from "@/lib/domain/sign-in-delay";
import { db } from "../../db";
import { hashPassword } from "../../password";
import { signedIn } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../actors/load";
import { beginEnrolment, confirmEnrolment } from "./second-factor";
import { signInThrottle, signInWithPassword } from "./sign-in";

const ANA = "ana@example.test";
process.env.AUTH_SECRET ??= "a test secret for sealing authenticator seeds";

/** Ana sets up an authenticator app, as on her Security page; returns her phone. */
async function enrolAna() {
  const id = (await db().user.findUniqueOrThrow({ where: { email: ANA } })).id;
  const session = await db().session.create({
    data: { userId: id, method: "password", expiresAt: new Date(Date.now() + 3600_000) },
  });
  const ana = await signedIn((await loadUserActor(id, session.id))!);
  const { secret } = await beginEnrolment(ana);
  const totp = new TOTP({ issuer: "Greenlight", label: ANA, secret: Secret.fromBase32(secret.replaceAll(" ", "")) });
  const { recoveryCodes } = await confirmEnrolment(ana, { code: totp.generate({ timestamp: Date.now() - 30_000 }) });
  return { now: () => totp.generate(), next: () => totp.generate({ timestamp: Date.now() + 30_000 }), recoveryCodes };
}

/** Failures recorded as if they happened `secondsAgo` seconds ago. */
async function pastFailures(rows: { email: string; ip: string; secondsAgo: number }[]) {
  await db().signInAttempt.createMany({
    data: rows.map((r) => ({
      email: r.email,
      ip: r.ip,
      succeeded: false,
      at: new Date(Date.now() - r.secondsAgo * 1000),
    })),
  });
}

const wrong = (ip: string, email = ANA) => signInWithPassword({ email, password: "wrong", ip });
const right = (ip: string) => signInWithPassword({ email: ANA, password: "right password", ip });

describe("sign-in with a password", () => {
  beforeEach(async () => {
    await resetDatabase();
    await db().user.create({
      data: { email: ANA, name: "Ana", passwordHash: await hashPassword("right password") },
    });
  });

  it("signs in with the right password, case-insensitive email, and audits it", async () => {
    const result = await signInWithPassword({
      email: " Ana@Example.TEST ",
      password: "right password",
      ip: "10.0.0.1",
    });
    expect(result).toMatchObject({ ok: true, user: { email: ANA, name: "Ana" }, secondFactor: false });
    expect(JSON.stringify(result)).not.toContain("scrypt");
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in" } });
    expect(event).toMatchObject({ actorLabel: "Ana", ip: "10.0.0.1" });
    expect((await db().user.findUniqueOrThrow({ where: { email: ANA } })).lastSignInAt).not.toBeNull();
  });

  it("answers the same for a wrong password, an unknown email and a deactivated account", async () => {
    await db().user.create({
      data: { email: "gone@example.test", passwordHash: await hashPassword("pw"), active: false },
    });
    const results = await Promise.all([
      signInWithPassword({ email: ANA, password: "wrong", ip: "10.0.0.2" }),
      signInWithPassword({ email: "nobody@example.test", password: "wrong", ip: "10.0.0.3" }),
      signInWithPassword({ email: "gone@example.test", password: "pw", ip: "10.0.0.4" }),
    ]);
    expect(results).toEqual([
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
    ]);
    const reasons = (await db().auditEvent.findMany({ where: { action: "auth.sign_in.failed" } })).map(
      (e) => (e.after as { reason: string }).reason,
    );
    expect(reasons.sort()).toEqual(["deactivated", "unknown email", "wrong password"]);
  });

  it("after 3 failures from one address, that address waits for that account: a second, not a lock-out", async () => {
    for (let i = 0; i < 3; i++) expect(await wrong("192.0.2.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInThrottle(ANA, "192.0.2.1")).toEqual({
      retryAfterSeconds: 1,
      scope: "address_account",
      failures: 3,
    });
    // the owner, elsewhere, is not held up by that address's guesses …
    expect(await right("198.51.100.1")).toMatchObject({ ok: true });
    // … and their success gives the guesser no fresh allowance: three more (as if typed just
    // now) make 6 there, 8 s, and even the right password waits
    await pastFailures([0, 0, 0].map((s) => ({ email: ANA, ip: "192.0.2.1", secondsAgo: s })));
    const refused = await right("192.0.2.1");
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    const audited = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in.throttled" } });
    expect(audited).toMatchObject({ ip: "192.0.2.1", after: { email: ANA, scope: "address_account", failures: 6 } });
    // a refused attempt is not a failure: it does not lengthen the wait
    expect(await db().signInAttempt.count({ where: { succeeded: false } })).toBe(6);
  });

  it("the wait doubles with each failure, and ends", async () => {
    await pastFailures([3, 2, 1, 0].map((s) => ({ email: ANA, ip: "192.0.2.2", secondsAgo: 100 + s })));
    // 4 failures: 2 s after the latest, which was 100 s ago
    expect(await right("192.0.2.2")).toMatchObject({ ok: true });
    await db().signInAttempt.deleteMany();
    await pastFailures(Array.from({ length: 8 }, () => ({ email: ANA, ip: "192.0.2.2", secondsAgo: 20 })));
    // 8 failures: 2^5 = 32 s after the latest, 20 s ago
    const wait = await signInThrottle(ANA, "192.0.2.2");
    expect(wait).toMatchObject({ scope: "address_account", failures: 8 });
    expect(wait.retryAfterSeconds).toBeGreaterThanOrEqual(10);
    expect(wait.retryAfterSeconds).toBeLessThanOrEqual(12);
  });

  it("guesses spread over many addresses slow the account down, at most 15 minutes apart", async () => {
    await pastFailures(Array.from({ length: 40 }, (_, i) => ({ email: ANA, ip: `203.0.113.${i}`, secondsAgo: 5 })));
    const refused = await right("198.51.100.2");
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    if (!refused.ok && refused.reason === "throttled") {
      expect(refused.retryAfterSeconds).toBeGreaterThan(SIGN_IN_DELAYS.account.capSeconds - 10);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_DELAYS.account.capSeconds);
    }
    // failures further back than the window are forgotten
    await db().signInAttempt.updateMany({ data: { at: new Date(Date.now() - 61 * 60 * 1000) } });
    expect(await right("198.51.100.2")).toMatchObject({ ok: true });
  });

  it("a sweep over many accounts from one address holds up another account there for a minute at most", async () => {
    await pastFailures(
      Array.from({ length: 30 }, (_, i) => ({ email: `guess${i}@example.test`, ip: "192.0.2.10", secondsAgo: 0 })),
    );
    const colleague = await right("192.0.2.10");
    expect(colleague).toMatchObject({ ok: false, reason: "throttled" });
    if (!colleague.ok && colleague.reason === "throttled") expect(colleague.retryAfterSeconds).toBeLessThanOrEqual(60);
    // from another address, nothing waits
    expect(await right("192.0.2.11")).toMatchObject({ ok: true });
  });

  it("a successful sign-in starts the account's count again, not the address's", async () => {
    await pastFailures([
      ...Array.from({ length: 6 }, (_, i) => ({ email: ANA, ip: `203.0.113.${i}`, secondsAgo: 120 })),
      ...Array.from({ length: 12 }, (_, i) => ({ email: `x${i}@example.test`, ip: "192.0.2.20", secondsAgo: 120 })),
    ]);
    expect(await right("198.51.100.3")).toMatchObject({ ok: true });
    await wrong("198.51.100.4");
    // had the count not started again, 7 failures would make it wait 4 s
    expect((await signInThrottle(ANA, "198.51.100.5")).retryAfterSeconds).toBe(0);
    // the address's sweep still counts: 13 failures there make the next one from it wait
    await wrong("192.0.2.20", "y@example.test");
    expect((await signInThrottle(ANA, "192.0.2.20")).scope).toBe("address");
  });

  it("the right password with a second factor passes a delay strangers caused; neither alone does", async () => {
    const phone = await enrolAna();
    await pastFailures(Array.from({ length: 40 }, (_, i) => ({ email: ANA, ip: `203.0.113.${i}`, secondsAgo: 0 })));
    const at = "198.51.100.9";
    // the password alone waits; a code with a wrong password waits too, and reveals nothing
    expect(await right(at)).toMatchObject({ ok: false, reason: "throttled" });
    expect(
      await signInWithPassword({ email: ANA, password: "wrong", secondFactorCode: phone.now(), ip: at }),
    ).toMatchObject({ ok: false, reason: "throttled" });
    // a wrong code with the right password is no way past either
    expect(
      await signInWithPassword({ email: ANA, password: "right password", secondFactorCode: "000000", ip: at }),
    ).toMatchObject({ ok: false, reason: "throttled" });
    const passed = await signInWithPassword({
      email: ANA,
      password: "right password",
      secondFactorCode: phone.now(),
      ip: at,
    });
    expect(passed).toMatchObject({ ok: true, secondFactor: true });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in" } });
    expect(event.after).toMatchObject({ method: "password", secondFactor: true, passedDelay: "account" });
    // a recovery code does it too (the success started the account's count again: make it wait anew)
    await pastFailures(Array.from({ length: 40 }, (_, i) => ({ email: ANA, ip: `203.0.113.${i}`, secondsAgo: 0 })));
    expect(
      await signInWithPassword({
        email: ANA,
        password: "right password",
        secondFactorCode: phone.recoveryCodes[0]!,
        ip: at,
      }),
    ).toMatchObject({ ok: true, secondFactor: true });
  });

  it("without a delay, a code given must be right, and a right one marks the sign-in as two-factor", async () => {
    const phone = await enrolAna();
    expect(
      await signInWithPassword({ email: ANA, password: "right password", secondFactorCode: "123456", ip: "10.4.0.1" }),
    ).toEqual({ ok: false, reason: "invalid" });
    const failed = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in.failed" } });
    expect(failed.after).toMatchObject({ reason: "wrong authentication code" });
    expect(
      await signInWithPassword({
        email: ANA,
        password: "right password",
        secondFactorCode: phone.next(),
        ip: "10.4.0.1",
      }),
    ).toMatchObject({ ok: true, secondFactor: true });
  });

  it("parallel guesses cannot slip past the delay", async () => {
    await pastFailures([0, 0].map((s) => ({ email: ANA, ip: "10.3.0.1", secondsAgo: s })));
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signInWithPassword({ email: ANA, password: `guess ${i}`, ip: "10.3.0.1" })),
    );
    const elapsed = (Date.now() - started) / 1000;
    const heard = results.filter((r) => !r.ok && r.reason === "invalid").length;
    // the third failure is free; then 1 s, 2 s, 4 s … must pass between failures
    const allowed = 1 + [1, 3, 7, 15].filter((t) => t <= elapsed).length;
    expect(heard).toBeGreaterThanOrEqual(1);
    expect(heard).toBeLessThanOrEqual(allowed);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(12 - heard);
    expect(await db().signInAttempt.count()).toBe(2 + heard);
  });
});
