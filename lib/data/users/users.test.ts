import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { verifyPassword } from "../../password";
import { userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../../session";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { loadPreset } from "../../presets/load";
import {
  createRole,
  createUser,
  deactivateUser,
  listRoles,
  listUsers,
  reactivateUser,
  resetUserPassword,
  updateUserRoles,
} from "./users";

const PASSWORD = "correct horse battery";
const ANA = "ana.admin@monepiceriz.example";

let admin: UserActor;
let qa: UserActor;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  admin = await userWithRoles(["admin"], "test-admin");
  qa = await userWithRoles(["qa"], "test-qa");
});

async function userId(email: string): Promise<string> {
  return (await db().user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
}

async function roleKeysOf(id: string): Promise<string[]> {
  const rows = await db().userRole.findMany({ where: { userId: id }, select: { role: { select: { key: true } } } });
  return rows.map((r) => r.role.key).sort();
}

function auditRows(action: string) {
  return db().auditEvent.findMany({ where: { action }, orderBy: { at: "asc" } });
}

/** Refused with 403, and the refusal is on record as authz.denied for the attempted operation. */
async function expectRefused(run: Promise<unknown>, attempted: string, actor: UserActor = qa): Promise<void> {
  await expect(run).rejects.toBeInstanceOf(ForbiddenError);
  const denied = await auditRows("authz.denied");
  expect(denied.map((e) => ({ user: e.actorUserId, after: e.after }))).toContainEqual({
    user: actor.id,
    after: { permission: "user.manage", attempted, environment: null },
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

describe("listUsers and listRoles", () => {
  it("lists every user with their roles, and never a password hash", async () => {
    const users = await listUsers(admin);
    const ana = users.find((u) => u.email === ANA);
    expect(ana).toMatchObject({ name: "Ana Ruiz", active: true, roles: [{ key: "admin", name: "Admin" }] });
    expect(Object.keys(ana!).sort()).toEqual([
      "active",
      "createdAt",
      "email",
      "id",
      "lastSignInAt",
      "name",
      "roles",
      "secondFactorSince",
    ]);
    expect(JSON.stringify(users)).not.toMatch(/scrypt|passwordHash/);
    expect(users.map((u) => u.name)).toEqual([...users.map((u) => u.name)].sort((a, b) => a!.localeCompare(b!)));
  });

  it("lists roles with their global permissions and how many hold them", async () => {
    const roles = await listRoles(admin);
    expect(roles.find((r) => r.key === "admin")).toMatchObject({
      builtIn: true,
      userCount: 2, // Ana and the test admin
      globalPermissions: [
        "matrix.edit",
        "audit.view",
        "user.manage",
        "token.manage",
        "flag.manage",
        "notification.manage",
      ],
    });
    expect(roles.find((r) => r.key === "qa")).toMatchObject({ userCount: 2, globalPermissions: [] });
  });

  it("refuses both to a user without user.manage", async () => {
    await expectRefused(listUsers(qa), "user.list");
    await expectRefused(listRoles(qa), "role.list");
  });
});

describe("user.create", () => {
  const input = { email: " Nora.New@Example.COM ", name: " Nora New ", roles: ["qa", "developer"], password: PASSWORD };

  it("creates the user with a hashed password and several roles, and records it", async () => {
    const user = await createUser(admin, input);
    expect(user).toMatchObject({
      email: "nora.new@example.com",
      name: "Nora New",
      active: true,
      roles: [
        { key: "developer", name: "Developer" },
        { key: "qa", name: "QA engineer" },
      ],
    });
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    expect((await loadUserActor(user.id))?.roles.map((r) => r.key).sort()).toEqual(["developer", "qa"]);

    const [event] = await auditRows("user.create");
    expect(event).toMatchObject({
      actorUserId: admin.id,
      actorLabel: "test-admin",
      entityType: "User",
      entityId: user.id,
      after: { email: "nora.new@example.com", name: "Nora New", roles: ["developer", "qa"] },
    });
    expect(JSON.stringify(event)).not.toContain(PASSWORD);
  });

  it("refuses an email that already exists, whatever its case", async () => {
    const before = await db().user.count();
    await expect(createUser(admin, { ...input, email: ANA.toUpperCase() })).rejects.toThrow(
      new ConflictError("A user with this email already exists"),
    );
    expect(await db().user.count()).toBe(before);
    expect(await auditRows("user.create")).toEqual([]);
  });

  it("names each field that needs attention, and writes nothing", async () => {
    const before = await db().user.count();
    expect(
      await fieldErrorsOf(createUser(admin, { email: "not-an-email", name: "", roles: [], password: "short" })),
    ).toMatchObject({
      email: ["Enter a valid email address"],
      name: ["Enter a name"],
      password: ["Use at least 12 characters"],
    });
    expect(await fieldErrorsOf(createUser(admin, { ...input, roles: ["qa", "wizard"] }))).toEqual({
      roles: ["Unknown role: wizard"],
    });
    expect(await db().user.count()).toBe(before);
  });

  it("allows a user with no roles yet", async () => {
    expect((await createUser(admin, { ...input, roles: [] })).roles).toEqual([]);
  });

  it("is refused without user.manage, and creates nothing", async () => {
    await expectRefused(createUser(qa, input), "user.create");
    expect(await db().user.findUnique({ where: { email: "nora.new@example.com" } })).toBeNull();
    expect(await auditRows("user.create")).toEqual([]);
  });
});

describe("user.roles.update", () => {
  it("replaces the set of roles, takes effect on the next load, and records before and after", async () => {
    const id = await userId(ANA);
    const user = await updateUserRoles(admin, { userId: id, roleKeys: ["qa", "product_owner", "qa"] });
    expect(user.roles.map((r) => r.key)).toEqual(["product_owner", "qa"]);
    expect(await roleKeysOf(id)).toEqual(["product_owner", "qa"]);
    expect((await loadUserActor(id))?.global.has("user.manage")).toBe(false);

    const [event] = await auditRows("user.roles.update");
    expect(event).toMatchObject({
      actorUserId: admin.id,
      entityId: id,
      before: { roles: ["admin"] },
      after: { roles: ["product_owner", "qa"] },
    });
  });

  it("records nothing when the set does not change", async () => {
    await updateUserRoles(admin, { userId: await userId(ANA), roleKeys: ["admin"] });
    expect(await auditRows("user.roles.update")).toEqual([]);
  });

  it("refuses unknown roles and unknown users", async () => {
    const id = await userId(ANA);
    expect(await fieldErrorsOf(updateUserRoles(admin, { userId: id, roleKeys: ["nope"] }))).toEqual({
      roleKeys: ["Unknown role: nope"],
    });
    await expect(
      updateUserRoles(admin, { userId: "0190f0f0-0000-7000-8000-000000000000", roleKeys: [] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await roleKeysOf(id)).toEqual(["admin"]);
  });

  it("keeps at least one active user who can manage users", async () => {
    await deactivateUser(admin, { userId: await userId(ANA) });
    await expect(updateUserRoles(admin, { userId: admin.id, roleKeys: ["qa"] })).rejects.toThrow(
      new ConflictError("At least one active user must keep the user.manage permission"),
    );
    expect(await roleKeysOf(admin.id)).toEqual(["admin"]);
    expect(await auditRows("user.roles.update")).toEqual([]);
  });

  it("is refused without user.manage, and changes nothing", async () => {
    await expectRefused(updateUserRoles(qa, { userId: qa.id, roleKeys: ["admin"] }), "user.roles.update");
    expect(await roleKeysOf(qa.id)).toEqual(["qa"]);
  });
});

describe("user.deactivate and user.reactivate", () => {
  it("a deactivated user no longer loads (their session stops at its next request); reactivated, they do", async () => {
    const id = await userId(ANA);
    expect(await deactivateUser(admin, { userId: id })).toMatchObject({ id, active: false });
    expect(await loadUserActor(id)).toBeNull();
    expect(await reactivateUser(admin, { userId: id })).toMatchObject({ id, active: true });
    expect((await loadUserActor(id))?.email).toBe(ANA);

    const events = await db().auditEvent.findMany({
      where: { action: { in: ["user.deactivate", "user.reactivate"] } },
      orderBy: { at: "asc" },
    });
    expect(events.map((e) => [e.action, e.entityId, e.before, e.after])).toEqual([
      ["user.deactivate", id, { active: true }, { active: false }],
      ["user.reactivate", id, { active: false }, { active: true }],
    ]);
  });

  it("doing it twice changes nothing the second time and records once", async () => {
    const id = await userId(ANA);
    await deactivateUser(admin, { userId: id });
    await deactivateUser(admin, { userId: id });
    expect(await auditRows("user.deactivate")).toHaveLength(1);
  });

  it("refuses to deactivate yourself", async () => {
    await expect(deactivateUser(admin, { userId: admin.id })).rejects.toThrow(
      new ConflictError("You cannot deactivate your own account"),
    );
    expect(await loadUserActor(admin.id)).not.toBeNull();
  });

  it("is refused without user.manage, and changes nothing", async () => {
    const id = await userId(ANA);
    await expectRefused(deactivateUser(qa, { userId: id }), "user.deactivate");
    expect(await loadUserActor(id)).not.toBeNull();
    await db().user.update({ where: { id }, data: { active: false } });
    await expectRefused(reactivateUser(qa, { userId: id }), "user.reactivate");
    expect(await loadUserActor(id)).toBeNull();
  });
});

describe("user.password.reset", () => {
  it("sets a new password and records that it changed, never what to", async () => {
    const id = await userId(ANA);
    await resetUserPassword(admin, { userId: id, password: PASSWORD });
    const { passwordHash } = await db().user.findUniqueOrThrow({ where: { id } });
    expect(await verifyPassword(PASSWORD, passwordHash)).toBe(true);
    expect(await verifyPassword("pw-for-tests", passwordHash)).toBe(false);
    const [event] = await auditRows("user.password.reset");
    expect(event).toMatchObject({ entityId: id, after: { email: ANA, passwordChanged: true } });
    expect(JSON.stringify(event)).not.toContain(PASSWORD);
  });

  it("asks for a long enough password", async () => {
    expect(await fieldErrorsOf(resetUserPassword(admin, { userId: await userId(ANA), password: "too-short" }))).toEqual(
      { password: ["Use at least 12 characters"] },
    );
  });

  it("is refused without user.manage, and changes nothing", async () => {
    const id = await userId(ANA);
    await expectRefused(resetUserPassword(qa, { userId: id, password: PASSWORD }), "user.password.reset");
    const { passwordHash } = await db().user.findUniqueOrThrow({ where: { id } });
    expect(await verifyPassword("pw-for-tests", passwordHash)).toBe(true);
  });
});

describe("role.create", () => {
  it("adds a custom role that can then be assigned", async () => {
    const role = await createRole(admin, {
      key: "release_manager",
      name: "Release manager",
      description: "Coordinates release trains",
    });
    expect(role).toMatchObject({ key: "release_manager", builtIn: false, userCount: 0, globalPermissions: [] });
    expect((await listRoles(admin)).at(-1)?.key).toBe("release_manager");
    await updateUserRoles(admin, { userId: qa.id, roleKeys: ["qa", "release_manager"] });
    expect(await roleKeysOf(qa.id)).toEqual(["qa", "release_manager"]);

    const [event] = await auditRows("role.create");
    expect(event).toMatchObject({
      actorUserId: admin.id,
      entityType: "Role",
      entityId: role.id,
      after: { key: "release_manager", name: "Release manager", description: "Coordinates release trains" },
    });
  });

  it("refuses a key that exists and a key of the wrong shape", async () => {
    await expect(createRole(admin, { key: "qa", name: "Another QA" })).rejects.toThrow(
      new ConflictError("A role with this key already exists"),
    );
    for (const key of ["Release", "r", "9lives", "has-dash", "a".repeat(41)])
      expect(Object.keys(await fieldErrorsOf(createRole(admin, { key, name: "X" })))).toEqual(["key"]);
    expect(await auditRows("role.create")).toEqual([]);
  });

  it("is refused without user.manage, and creates nothing", async () => {
    await expectRefused(createRole(qa, { key: "release_manager", name: "Release manager" }), "role.create");
    expect(await db().role.findUnique({ where: { key: "release_manager" } })).toBeNull();
  });
});
