import { ForbiddenError } from "@/lib/data/errors";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { UserActor } from "@/lib/domain/access";
import { loadPreset } from "@/lib/presets/load";
import { createToken, listTokens, revokeToken, type TokenSummary } from "@/lib/data/tokens/tokens";
import { deactivateUser, reactivateUser, updateUserRoles } from "@/lib/data/users/users";
import { signedIn, userWithRoles } from "@/lib/test/actors";
import { countQueries } from "@/lib/test/pipeline.fixture";
import { resetDatabase } from "@/lib/test/reset";
import { POST as postRelease } from "../api/v1/releases/route";
import { GET as exportAudit } from "../audit/export/route";

// A token never does more than its owner can do NOW. An admin makes a token that may create
// releases and export the audit trail; then the admin is demoted, loses every role, is
// deactivated, comes back and is promoted again. Each step is checked through the real route
// handlers with the real token look-up, and on the Tokens page's list.

let owner: UserActor;
let manager: UserActor;
let plaintext: string;
let tokenId: string;

beforeEach(async () => {
  await resetDatabase();
  // seed 000: developers hold release.create in development only; business owners hold nothing
  // but a view of production; admins hold everything
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  // signed in just now: minting a token needs a recent sign-in
  owner = await signedIn(await userWithRoles(["admin"], "Tessa Owner"));
  manager = await userWithRoles(["admin"], "Mara Manager");
  const created = await createToken(owner, {
    name: "ci-main",
    permissions: ["release.create", "audit.view"],
    environmentKeys: [],
  });
  plaintext = created.plaintext;
  tokenId = created.token.id;
});

let versions = 0;

function createRelease(): Promise<Response> {
  versions += 1;
  return postRelease(
    new Request("http://localhost/api/v1/releases", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${plaintext}` },
      body: JSON.stringify({
        application: "storefront",
        version: `2.0.${versions}`,
        commitSha: `${versions}`.padStart(40, "a"),
        title: "A release from CI",
        changelog: "## Changed\n- Something",
      }),
    }),
  );
}

function exportTrail(): Promise<Response> {
  return exportAudit(
    new Request("http://localhost/audit/export", { headers: { authorization: `Bearer ${plaintext}` } }),
  );
}

const setRoles = (roleKeys: string[]) => updateUserRoles(manager, { userId: owner.id, roleKeys });

async function statuses(): Promise<[number, number]> {
  const [release, trail] = await Promise.all([createRelease(), exportTrail()]);
  await trail.body?.cancel();
  return [release.status, trail.status];
}

/** The token's authz.denied rows, as permission@environment. */
async function denials(): Promise<string[]> {
  const rows = await db().auditEvent.findMany({
    where: { action: "authz.denied", actorTokenId: tokenId },
    orderBy: { at: "asc" },
  });
  return rows
    .map((r) => {
      const { permission, environment } = r.after as { permission: string; environment: string | null };
      return `${permission}@${environment ?? "-"}`;
    })
    .sort();
}

async function listed(): Promise<TokenSummary> {
  const token = (await listTokens(manager)).tokens.find((t) => t.id === tokenId);
  if (!token) throw new Error("the token is not listed");
  return token;
}

async function message(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

describe("a token never does more than its owner can do now", () => {
  it("works while its admin owner holds what it grants", async () => {
    expect(await statuses()).toEqual([201, 200]);
    expect(await listed()).toMatchObject({ status: "active", power: { state: "full", reasons: [] } });
  });

  it("after demotion to business owner: 403 on release create and audit export, each refusal on record", async () => {
    await setRoles(["business_owner"]);
    expect(await statuses()).toEqual([403, 403]);
    expect(await denials()).toEqual(["audit.view@-", "release.create@Development"]);
    expect(await db().release.count()).toBe(0);

    const token = await listed();
    expect(token.status).toBe("lost_power");
    expect(token.power?.reasons).toEqual([
      "Owner no longer holds audit.view globally (role Admin removed)",
      "Owner no longer holds audit.view in Development, Staging and Production (role Admin removed)",
      "Owner no longer holds release.create in Development, Staging and Production (role Admin removed)",
    ]);
  });

  it("after demotion to developer: keeps what a developer holds, shown as a partial loss", async () => {
    await setRoles(["developer"]);
    // seed 000's developer: development full, staging read only, production nothing
    expect((await createRelease()).status).toBe(201);
    const trail = await exportTrail();
    expect(trail.status).toBe(200);
    // audit.view of development and staging only: no event without an environment (the role change)
    const csv = await trail.text();
    expect(csv).toContain("release.create");
    expect(csv).not.toContain("user.roles.update");

    const token = await listed();
    expect(token.status).toBe("active");
    expect(token.power).toMatchObject({
      state: "partial",
      reasons: [
        "Owner no longer holds audit.view globally (role Admin removed)",
        "Owner no longer holds audit.view in Production (role Admin removed)",
        "Owner no longer holds release.create in Staging and Production (role Admin removed)",
      ],
    });
  });

  it("after every role is removed: 403", async () => {
    await setRoles([]);
    expect(await statuses()).toEqual([403, 403]);
    expect(await denials()).toHaveLength(2);
    expect((await listed()).status).toBe("lost_power");
  });

  it("after deactivation: 401 saying why, and the refused call does not count as a use", async () => {
    expect(await statuses()).toEqual([201, 200]);
    const usedAt = (await db().apiToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt;
    await deactivateUser(manager, { userId: owner.id });

    const [release, trail] = [await createRelease(), await exportTrail()];
    expect([release.status, trail.status]).toEqual([401, 401]);
    expect(release.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await message(release)).toMatch(/^This token's owner Tessa Owner is deactivated\./);
    expect(await message(trail)).toMatch(/^This token's owner Tessa Owner is deactivated\./);
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt).toEqual(usedAt);
    expect(await listed()).toMatchObject({
      status: "lost_power",
      power: { state: "none", reasons: ["Owner Tessa Owner is deactivated"] },
    });
  });

  it("comes back with its owner: reactivated and promoted again, it works again", async () => {
    await setRoles([]);
    await deactivateUser(manager, { userId: owner.id });
    expect(await statuses()).toEqual([401, 401]);
    await reactivateUser(manager, { userId: owner.id });
    expect(await statuses()).toEqual([403, 403]);
    await setRoles(["admin"]);
    expect(await statuses()).toEqual([201, 200]);
    expect(await listed()).toMatchObject({ status: "active", power: { state: "full", reasons: [] } });
  });

  it("after its owner is deleted: 401, listed as lost power", async () => {
    await db().user.delete({ where: { id: owner.id } });
    const response = await createRelease();
    expect(response.status).toBe(401);
    expect(await message(response)).toMatch(/^This token's owner was deleted\./);
    expect(await listed()).toMatchObject({
      status: "lost_power",
      createdBy: null,
      power: { reasons: ["Owner deleted"] },
    });
  });

  it("a token cannot make tokens, whatever it holds; a person must", async () => {
    const provisioner = await createToken(owner, {
      name: "provisioner",
      permissions: ["token.manage", "release.create"],
      environmentKeys: [],
    });
    const { tokenActor } = await import("@/lib/session");
    const asToken = await tokenActor(`Bearer ${provisioner.plaintext}`);
    const refused = await createToken(asToken!, {
      name: "child",
      permissions: ["release.create"],
      environmentKeys: ["development"],
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(await db().apiToken.count({ where: { name: "child" } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "authz.denied", actorTokenId: provisioner.token.id } })).toBe(
      1,
    );
  });

  it("revoked and expired tokens say so with their 401", async () => {
    await revokeToken(manager, { tokenId });
    expect(await message(await createRelease())).toBe("This token was revoked");
  });
});

describe("the Tokens page's list", () => {
  it("works out every token's power in the same number of statements, however many tokens and owners", async () => {
    const once = await countQueries(() => listTokens(manager));
    for (let i = 0; i < 4; i++) {
      const someone = await signedIn(await userWithRoles(["admin"], `Owner ${i}`));
      for (let j = 0; j < 3; j++)
        await createToken(someone, { name: `t-${i}-${j}`, permissions: ["release.create"], environmentKeys: [] });
      await updateUserRoles(manager, { userId: someone.id, roleKeys: i % 2 ? ["developer"] : ["business_owner"] });
    }
    const many = await countQueries(() => listTokens(manager));
    expect(many.result.tokens).toHaveLength(13);
    expect(many.result.tokens.filter((t) => t.power?.state === "partial")).toHaveLength(6);
    expect(many.result.tokens.filter((t) => t.status === "lost_power")).toHaveLength(6);
    expect(many.queries).toBe(once.queries);
    console.log(`token.list: ${many.queries} statements for ${many.result.tokens.length} tokens of 5 owners`);
  });
});
