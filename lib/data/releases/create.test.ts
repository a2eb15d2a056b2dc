import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { TokenActor, UserActor } from "../../domain/access";
import { toDbPermission, type Permission } from "../../domain/permissions";
import type { Permission as DbPermission } from "../../generated/prisma/client";
import { userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { tokenOwnerId } from "../../test/tokens";
import { hashToken, tokenActor } from "../../session";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { loadPreset } from "../../presets/load";
import { createRelease } from "./create";

let developer: UserActor;
let env: Record<string, string>;

beforeEach(async () => {
  await resetDatabase();
  // seed 000: development → staging → production; developers hold release.create in development
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  developer = await userWithRoles(["developer"], "test-developer");
  env = Object.fromEntries((await db().environment.findMany()).map((e) => [e.key, e.id]));
});

/** A real API token row, resolved the way a request's Authorization header is. */
async function token(permissions: Permission[], environmentKeys: string[] = []): Promise<TokenActor> {
  const plaintext = `glt_${randomBytes(24).toString("base64url")}`;
  await db().apiToken.create({
    data: {
      name: `ci-${plaintext.slice(4, 10)}`,
      prefix: plaintext.slice(0, 8),
      tokenHash: hashToken(plaintext),
      ownerId: await tokenOwnerId(),
      permissions: permissions.map((p) => toDbPermission(p) as DbPermission),
      environments: { connect: environmentKeys.map((key) => ({ key })) },
    },
  });
  const actor = await tokenActor(`Bearer ${plaintext}`);
  if (!actor) throw new Error("test token did not load");
  return actor;
}

const body = {
  application: "storefront",
  version: "1.4.0",
  commitSha: "3F2A9C1E7B4D5A6F8E9D0C1B2A3F4E5D6C7B8A90",
  commitAt: "2026-03-01T12:00:00Z",
  title: "Checkout with saved cards",
  changelog: "## Added\n- Saved cards at checkout",
  links: [{ label: "Pull request", url: "https://github.com/example/storefront/pull/42" }],
};

async function fieldErrorsOf(input: unknown): Promise<Record<string, string[]>> {
  const error = await createRelease(developer, input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

describe("release.create", () => {
  it("creates the release and audits it in the first environment", async () => {
    const { release, created } = await createRelease(developer, body);
    expect(created).toBe(true);
    expect(release).toMatchObject({
      application: "storefront",
      version: "1.4.0",
      commitSha: "3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90",
      commitAt: "2026-03-01T12:00:00.000Z",
      title: "Checkout with saved cards",
      changelog: body.changelog,
      links: body.links,
    });
    const row = await db().release.findUniqueOrThrow({ where: { id: release.id } });
    expect(row).toMatchObject({ createdById: developer.id, createdByTokenId: null });

    const events = await db().auditEvent.findMany({ where: { action: "release.create" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: developer.id,
      entityType: "Release",
      entityId: release.id,
      environmentId: env.development,
      before: null,
      after: { ...release },
    });
  });

  it("returns the existing release on a repeat, without a second row or audit record", async () => {
    const first = await createRelease(developer, body);
    const again = await createRelease(developer, {
      ...body,
      title: "Another title",
      commitSha: body.commitSha.slice(0, 40),
    });
    expect(again).toEqual({ release: first.release, created: false });
    expect(await db().release.count()).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "release.create" } })).toBe(1);
  });

  it("refuses the same version at another commit, naming the commit it has", async () => {
    await createRelease(developer, body);
    const other = createRelease(developer, { ...body, commitSha: "b".repeat(40) });
    await expect(other).rejects.toBeInstanceOf(ConflictError);
    await expect(createRelease(developer, { ...body, commitSha: "b".repeat(40) })).rejects.toThrow(
      /already exists at commit 3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90/,
    );
    expect(await db().release.count()).toBe(1);
  });

  it("keeps versions apart per application", async () => {
    await db().application.create({ data: { key: "payments", name: "Payments" } });
    await createRelease(developer, body);
    const other = await createRelease(developer, { ...body, application: "payments", commitSha: "c".repeat(40) });
    expect(other.created).toBe(true);
  });

  it("answers 404 for an unknown application", async () => {
    await expect(createRelease(developer, { ...body, application: "nope" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses when there is no environment yet", async () => {
    await db().environment.deleteMany();
    await expect(createRelease(developer, body)).rejects.toThrow(/no environments yet/);
  });

  it("accepts a release without the optional fields", async () => {
    const { release } = await createRelease(developer, {
      application: "storefront",
      version: "v2.0.0-rc.1+build.7",
      commitSha: "abc1234",
      title: "Minimal",
      changelog: "",
    });
    expect(release).toMatchObject({ version: "v2.0.0-rc.1+build.7", commitAt: null, links: [] });
  });

  describe("validation (422 with a message per field)", () => {
    it.each([
      ["application", { application: "" }],
      ["version", { version: "1.4" }],
      ["version", { version: "release-1" }],
      ["version", { version: `1.0.0-${"a".repeat(64)}` }],
      ["commitSha", { commitSha: "xyz1234" }],
      ["commitSha", { commitSha: "abc12" }],
      ["commitSha", { commitSha: "a".repeat(41) }],
      ["commitAt", { commitAt: "yesterday" }],
      ["title", { title: "  " }],
      ["title", { title: "t".repeat(201) }],
      ["changelog", { changelog: undefined }],
      ["links", { links: Array.from({ length: 21 }, () => body.links[0]) }],
      ["links.0.url", { links: [{ label: "Shell", url: "javascript:alert(1)" }] }],
      ["links.0.label", { links: [{ label: "", url: "https://example.com" }] }],
    ])("%s: %j", async (field, change) => {
      const errors = await fieldErrorsOf({ ...body, ...change });
      expect(Object.keys(errors)).toEqual([field]);
      expect(errors[field]?.[0]).toBeTruthy();
    });

    it("counts the changelog in UTF-8 bytes, not characters", async () => {
      // 2 bytes per "é": 32,768 characters fit exactly, one more does not
      expect((await createRelease(developer, { ...body, changelog: "é".repeat(32_768) })).created).toBe(true);
      const errors = await fieldErrorsOf({ ...body, version: "1.4.1", changelog: "é".repeat(32_769) });
      expect(errors.changelog).toEqual(["The changelog is limited to 64 KB (UTF-8)"]);
    });

    it("refuses a body that is not an object", async () => {
      expect(Object.keys(await fieldErrorsOf("1.4.0"))).toEqual(["_"]);
    });
  });

  describe("permission", () => {
    async function expectRefused(actor: UserActor | TokenActor) {
      await expect(createRelease(actor, body)).rejects.toBeInstanceOf(ForbiddenError);
      const denied = await db().auditEvent.findMany({ where: { action: "authz.denied" } });
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({
        actorUserId: actor.kind === "user" ? actor.id : null,
        actorTokenId: actor.kind === "token" ? actor.id : null,
        environmentId: env.development,
        after: { permission: "release.create", attempted: "release.create", environment: "Development" },
      });
      expect(await db().release.count()).toBe(0);
    }

    it("refuses a token without release.create", async () => {
      await expectRefused(await token(["deploy.trigger"]));
    });

    it("refuses a token scoped to another environment", async () => {
      await expectRefused(await token(["release.create"], ["staging"]));
    });

    it("refuses a user whose roles lack release.create in the first environment", async () => {
      // QA holds release.create in staging ("full"), only read access in development
      await expectRefused(await userWithRoles(["qa"], "test-qa"));
    });

    it("refuses before revealing whether the application exists", async () => {
      const qa = await userWithRoles(["qa"], "test-qa");
      await expect(createRelease(qa, { ...body, application: "nope" })).rejects.toBeInstanceOf(ForbiddenError);
    });

    it("records a token's creation against the token", async () => {
      const ci = await token(["release.create"], ["development"]);
      const { release } = await createRelease(ci, body);
      const row = await db().release.findUniqueOrThrow({ where: { id: release.id } });
      expect(row).toMatchObject({ createdById: null, createdByTokenId: ci.id });
      const event = await db().auditEvent.findFirstOrThrow({ where: { action: "release.create" } });
      expect(event).toMatchObject({ actorTokenId: ci.id, actorUserId: null, actorLabel: `token ${ci.name}` });
    });
  });

  it("creates exactly one release from 20 identical requests at once", async () => {
    const ci = await token(["release.create"]);
    const results = await Promise.all(Array.from({ length: 20 }, () => createRelease(ci, body)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.release.id)).size).toBe(1);
    expect(await db().release.count()).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "release.create" } })).toBe(1);
  });

  it("lets one of 20 racing commits win and refuses the others with 409", async () => {
    const ci = await token(["release.create"]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        createRelease(ci, { ...body, commitSha: i.toString(16).padStart(2, "0").repeat(20) }),
      ),
    );
    const won = outcomes.filter((o) => o.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "rejected" && o.reason instanceof ConflictError)).toHaveLength(19);
    expect(await db().release.count()).toBe(1);
  });
});
