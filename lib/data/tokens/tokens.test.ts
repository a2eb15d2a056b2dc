import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { actorWith, signedIn, userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { hashToken, tokenActor } from "../../session";
import { ForbiddenError, NotFoundError, StepUpRequired, ValidationError } from "../errors";
import { loadPreset } from "../../presets/load";
import { createToken, listTokens, revokeToken } from "./tokens";
import { createRole } from "../users/users";

let admin: UserActor;
let qa: UserActor;
let env: Record<string, string>;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  // signed in just now: minting a token needs a recent sign-in
  admin = await signedIn(await userWithRoles(["admin"], "test-admin"));
  qa = await userWithRoles(["qa"], "test-qa");
  env = Object.fromEntries((await db().environment.findMany()).map((e) => [e.key, e.id]));
});

const ci = {
  name: "ci-main",
  permissions: ["release.create", "deploy.trigger"],
  environmentKeys: ["development", "staging"],
};

function auditRows(action: string) {
  return db().auditEvent.findMany({ where: { action }, orderBy: { at: "asc" } });
}

async function expectRefused(run: Promise<unknown>, attempted: string): Promise<void> {
  await expect(run).rejects.toBeInstanceOf(ForbiddenError);
  const denied = await auditRows("authz.denied");
  expect(denied.map((e) => ({ user: e.actorUserId, after: e.after }))).toContainEqual({
    user: qa.id,
    after: { permission: "token.manage", attempted, environment: null },
  });
}

async function fieldErrorsOf(run: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

describe("token.create", () => {
  it("returns the token once, stores only its hash and prefix, and records the creation", async () => {
    const { token, plaintext } = await createToken(admin, ci);
    expect(plaintext).toMatch(/^glt_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({
      name: "ci-main",
      prefix: plaintext.slice(0, 8),
      permissions: ["release.create", "deploy.trigger"],
      environments: [
        { key: "development", name: "Development" },
        { key: "staging", name: "Staging" },
      ],
      expiresAt: null,
      status: "active",
      createdBy: { name: "test-admin", email: "test-admin@test.example" },
    });

    const row = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(hashToken(plaintext));
    expect(JSON.stringify(row)).not.toContain(plaintext);
    expect(JSON.stringify(row)).not.toContain(plaintext.slice(8));

    const [event] = await auditRows("token.create");
    expect(event).toMatchObject({
      actorUserId: admin.id,
      entityType: "ApiToken",
      entityId: token.id,
      after: {
        name: "ci-main",
        prefix: token.prefix,
        permissions: ["release.create", "deploy.trigger"],
        environments: ["development", "staging"],
        expiresAt: null,
      },
    });
    expect(JSON.stringify(event)).not.toContain(plaintext.slice(8));
    expect(JSON.stringify(event)).not.toContain(row.tokenHash);
  });

  it("works as a bearer token with exactly its scope", async () => {
    const { token, plaintext } = await createToken(admin, ci);
    const actor = await tokenActor(`Bearer ${plaintext}`);
    expect(actor).toMatchObject({ kind: "token", id: token.id, name: "ci-main" });
    expect([...actor!.permissions].sort()).toEqual(["deploy.trigger", "release.create"]);
    expect([...actor!.environmentIds!].sort()).toEqual([env.development, env.staging].sort());
    // with its owner as they are now: what `can` intersects the token's scope with
    expect(actor!.owner).toMatchObject({ id: admin.id, label: "test-admin" });
    expect([...actor!.owner.global].sort()).toEqual([...admin.global].sort());
    expect(actor!.owner.byEnvironment).toEqual(admin.byEnvironment);
    expect(await tokenActor(`Bearer ${plaintext}x`)).toBeNull();
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).not.toBeNull();
  });

  it("with no environments chosen, acts in all of them", async () => {
    const { token, plaintext } = await createToken(admin, { ...ci, environmentKeys: [] });
    expect(token.environments).toEqual([]);
    expect((await tokenActor(`Bearer ${plaintext}`))?.environmentIds).toBeNull();
  });

  it("expires: a date alone means the end of that day (UTC), a past date is refused, an expired token is refused", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const { token, plaintext } = await createToken(admin, { ...ci, expiresAt: tomorrow });
    expect(token.expiresAt?.toISOString()).toBe(`${tomorrow}T23:59:59.999Z`);
    expect(await tokenActor(`Bearer ${plaintext}`)).not.toBeNull();

    await db().apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await tokenActor(`Bearer ${plaintext}`)).toBeNull();
    expect((await listTokens(admin)).tokens[0]?.status).toBe("expired");

    expect(await fieldErrorsOf(createToken(admin, { ...ci, expiresAt: "2020-01-01" }))).toEqual({
      expiresAt: ["Choose a date in the future"],
    });
    expect(await fieldErrorsOf(createToken(admin, { ...ci, expiresAt: "someday" }))).toEqual({
      expiresAt: ["Enter a valid date"],
    });
  });

  it("names each field that needs attention, and writes nothing", async () => {
    expect(await fieldErrorsOf(createToken(admin, { name: " ", permissions: [], environmentKeys: [] }))).toEqual({
      name: ["Enter a name"],
      permissions: ["Choose at least one permission"],
    });
    expect(
      Object.keys(await fieldErrorsOf(createToken(admin, { ...ci, permissions: ["release.create", "root"] }))),
    ).toEqual(["permissions.1"]);
    expect(await fieldErrorsOf(createToken(admin, { ...ci, environmentKeys: ["staging", "moon"] }))).toEqual({
      environmentKeys: ["Unknown environment: moon"],
    });
    expect(await db().apiToken.count({ where: { name: "ci-main" } })).toBe(0);
    expect(await auditRows("token.create")).toEqual([]);
  });

  it("needs a sign-in (or password confirmation) in the last 15 minutes", async () => {
    const stale = await signedIn(await userWithRoles(["admin"]), { signedInMinutesAgo: 16 });
    const refused = await createToken(stale, ci).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StepUpRequired);
    expect(refused).toMatchObject({ stepUp: "recent_sign_in", status: 403 });
    // loaded outside a request (no session) is never "recent" either
    expect(await createToken(await userWithRoles(["admin"]), ci).catch((e: unknown) => e)).toBeInstanceOf(
      StepUpRequired,
    );
    expect(await db().apiToken.count()).toBe(0);
    const recent = await signedIn(await userWithRoles(["admin"]), { signedInMinutesAgo: 14 });
    expect((await createToken(recent, ci)).token.status).toBe("active");
  });

  it("cannot give a token more than its creator holds", async () => {
    const limited = await signedIn(await actorWith(["token.manage", "release.create"], [env.development!]));
    expect(
      await fieldErrorsOf(createToken(limited, { name: "wide", permissions: ["release.create"], environmentKeys: [] })),
    ).toEqual({
      permissions: ["You cannot give a token release.create in Staging, Production: you do not hold it there"],
    });
    expect(
      await fieldErrorsOf(
        createToken(limited, { name: "wide", permissions: ["user.manage"], environmentKeys: ["development"] }),
      ),
    ).toEqual({ permissions: ["You cannot give a token user.manage: you do not hold it yourself"] });
    const { token } = await createToken(limited, {
      name: "narrow",
      permissions: ["release.create"],
      environmentKeys: ["development"],
    });
    expect(token.status).toBe("active");
  });

  it("is refused without token.manage, and creates nothing", async () => {
    await expectRefused(createToken(qa, ci), "token.create");
    expect(await db().apiToken.count({ where: { name: "ci-main" } })).toBe(0);
    expect(await auditRows("token.create")).toEqual([]);
  });
});

describe("token.revoke", () => {
  it("stops the token at once, and records it once even when revoked twice", async () => {
    const { token, plaintext } = await createToken(admin, ci);
    const revoked = await revokeToken(admin, { tokenId: token.id });
    expect(revoked.status).toBe("revoked");
    expect(await tokenActor(`Bearer ${plaintext}`)).toBeNull();

    const again = await revokeToken(admin, { tokenId: token.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    const events = await auditRows("token.revoke");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: admin.id,
      entityId: token.id,
      before: { name: "ci-main", revokedAt: null },
      after: { name: "ci-main", revokedAt: revoked.revokedAt?.toISOString() },
    });
  });

  it("says so when the token does not exist", async () => {
    await expect(revokeToken(admin, { tokenId: "0190f0f0-0000-7000-8000-000000000000" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("is refused without token.manage, and the token keeps working", async () => {
    const { token, plaintext } = await createToken(admin, ci);
    await expectRefused(revokeToken(qa, { tokenId: token.id }), "token.revoke");
    expect(await tokenActor(`Bearer ${plaintext}`)).not.toBeNull();
    expect(await auditRows("token.revoke")).toEqual([]);
  });
});

describe("listTokens", () => {
  it("lists tokens newest first with their status, never a hash, and every environment to choose from", async () => {
    const first = await createToken(admin, { ...ci, name: "first" });
    await createToken(admin, { ...ci, name: "second" });
    await revokeToken(admin, { tokenId: first.token.id });
    const list = await listTokens(admin);
    expect(list.tokens.map((t) => [t.name, t.status])).toEqual([
      ["second", "active"],
      ["first", "revoked"],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/tokenHash|[0-9a-f]{64}/);
    expect(list.environments.map((e) => e.key)).toEqual(["development", "staging", "production"]);
  });

  it("is refused without token.manage", async () => {
    await expectRefused(listTokens(qa), "token.list");
  });
});

describe("a request with a token acts as the token", () => {
  it("records the token, not a user, in the audit trail", async () => {
    const { token, plaintext } = await createToken(admin, {
      name: "provisioner",
      permissions: ["user.manage", "token.manage"],
      environmentKeys: [],
    });
    const actor = await tokenActor(`Bearer ${plaintext}`);
    await createRole(actor!, { key: "release_manager", name: "Release manager" });
    const created = await createToken(actor!, { ...ci, environmentKeys: [] }).then(
      () => null,
      (e: unknown) => e,
    );
    // a token never mints tokens: only a person who signed in recently does
    expect(created).toBeInstanceOf(ForbiddenError);

    const [event] = await auditRows("role.create");
    expect(event).toMatchObject({ actorTokenId: token.id, actorUserId: null, actorLabel: "token provisioner" });
  });
});
