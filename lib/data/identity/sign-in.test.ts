import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { hashPassword } from "../../password";
import { resetDatabase } from "../../test/reset";
import { MAX_FAILURES, signInThrottle, signInWithPassword } from "./sign-in";

describe("sign-in with a password", () => {
  beforeEach(async () => {
    await resetDatabase();
    await db().user.create({
      data: { email: "ana@example.test", name: "Ana", passwordHash: await hashPassword("right password") },
    });
  });

  it("signs in with the right password, case-insensitive email, and audits it", async () => {
    const result = await signInWithPassword({
      email: " Ana@Example.TEST ",
      password: "right password",
      ip: "10.0.0.1",
    });
    expect(result).toMatchObject({ ok: true, user: { email: "ana@example.test", name: "Ana" } });
    expect(JSON.stringify(result)).not.toContain("scrypt");
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in" } });
    expect(event).toMatchObject({ actorLabel: "Ana", ip: "10.0.0.1" });
    expect((await db().user.findUniqueOrThrow({ where: { email: "ana@example.test" } })).lastSignInAt).not.toBeNull();
  });

  it("answers the same for a wrong password, an unknown email and a deactivated account", async () => {
    await db().user.create({
      data: { email: "gone@example.test", passwordHash: await hashPassword("pw"), active: false },
    });
    const results = await Promise.all([
      signInWithPassword({ email: "ana@example.test", password: "wrong", ip: "10.0.0.2" }),
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

  it("locks an account out after 5 failures, even for the right password, and audits the refusals", async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      await signInWithPassword({ email: "ana@example.test", password: "wrong", ip: `10.1.0.${i}` });
    const refused = await signInWithPassword({ email: "ana@example.test", password: "right password", ip: "10.2.0.1" });
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    if (!refused.ok && refused.reason === "throttled") {
      expect(refused.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
    expect(await db().auditEvent.count({ where: { action: "auth.sign_in.throttled" } })).toBe(1);
    expect((await signInThrottle("ana@example.test", "10.9.9.9")).failures).toBe(MAX_FAILURES);
  });

  it("locks an address out after 5 failures across accounts", async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      await signInWithPassword({ email: `guess${i}@example.test`, password: "x", ip: "192.0.2.10" });
    expect(
      await signInWithPassword({ email: "ana@example.test", password: "right password", ip: "192.0.2.10" }),
    ).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    expect(
      await signInWithPassword({ email: "ana@example.test", password: "right password", ip: "192.0.2.11" }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("parallel guesses cannot slip past the limit", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signInWithPassword({ email: "ana@example.test", password: `guess ${i}`, ip: `10.3.0.${i}` }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(12 - MAX_FAILURES);
    expect(await db().signInAttempt.count()).toBe(MAX_FAILURES);
  });
});
