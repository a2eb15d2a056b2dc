import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../actors/load";
import { loadPreset } from "../../presets/load";
import { signInWithSso, type SsoProfile } from "./sso";

// What the OpenID Connect / GitHub callback does with an identity the provider has vouched for.

const profile = (overrides: Partial<SsoProfile> = {}): SsoProfile => ({
  provider: "oidc",
  providerAccountId: "sub-123",
  email: "Nina.New@Example.test",
  emailVerified: true,
  name: "Nina New",
  groups: [],
  ...overrides,
});

describe("single sign-on", () => {
  beforeEach(async () => {
    await resetDatabase();
    await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  });

  it("creates the user with no roles on first sign-in, audited, and finds them again next time", async () => {
    const first = await signInWithSso(profile(), new Map());
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const actor = await loadUserActor(first.userId);
    expect(actor).toMatchObject({ email: "nina.new@example.test", roles: [] });
    expect(actor?.byEnvironment.size).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "user.create.sso", entityId: first.userId } })).toBe(1);

    const again = await signInWithSso(profile({ email: "renamed@example.test" }), new Map());
    expect(again).toEqual({ ok: true, userId: first.userId });
    expect(await db().user.count({ where: { email: { contains: "example.test" } } })).toBe(1);
  });

  it("grants mapped roles from group claims, adding but never removing", async () => {
    const groups = new Map([
      ["release-managers", ["product_owner"]],
      ["qa-team", ["qa"]],
    ]);
    const first = await signInWithSso(profile({ groups: ["release-managers", "unmapped"] }), groups);
    if (!first.ok) throw new Error("sign-in refused");
    expect((await loadUserActor(first.userId))?.roles.map((r) => r.key)).toEqual(["product_owner"]);
    await signInWithSso(profile({ groups: ["qa-team"] }), groups);
    expect((await loadUserActor(first.userId))?.roles.map((r) => r.key).sort()).toEqual(["product_owner", "qa"]);
  });

  it("links to an existing account only when the provider verified the email", async () => {
    const existing = await db().user.findFirstOrThrow({ select: { id: true, email: true } });
    expect(await signInWithSso(profile({ email: existing.email, emailVerified: false }), new Map())).toEqual({
      ok: false,
      reason: "unverified",
    });
    expect(await db().account.count()).toBe(0);
    expect(await signInWithSso(profile({ email: existing.email }), new Map())).toEqual({
      ok: true,
      userId: existing.id,
    });
  });

  it("refuses a deactivated user", async () => {
    const first = await signInWithSso(profile(), new Map());
    if (!first.ok) throw new Error("sign-in refused");
    await db().user.update({ where: { id: first.userId }, data: { active: false } });
    expect(await signInWithSso(profile(), new Map())).toEqual({ ok: false, reason: "deactivated" });
  });
});
