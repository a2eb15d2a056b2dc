import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../../session";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { getAccessMatrix, updateMatrixCell, updateRoleGlobalPermissions } from "./matrix";
import { countQueries } from "../../test/pipeline.fixture";
import { loadPreset } from "../../presets/load";

// Seed 000's matrix: qa is Read only in development, Full access in staging, No access in
// production; admin (Ana) holds matrix.edit and is the only role that does.

async function persona(local: string): Promise<UserActor> {
  const user = await db().user.findUniqueOrThrow({ where: { email: `${local}@monepiceriz.example` } });
  const actor = await loadUserActor(user.id);
  if (!actor) throw new Error(`${local} did not load`);
  return actor;
}

async function environmentId(key: string): Promise<string> {
  return (await db().environment.findUniqueOrThrow({ where: { key } })).id;
}

async function cell(roleKey: string, environmentKey: string) {
  const row = await db().environmentPermission.findFirstOrThrow({
    where: { role: { key: roleKey }, environment: { key: environmentKey } },
    select: { permissions: true, updatedById: true },
  });
  return row;
}

const matrixAudits = (action = "matrix.cell.update") =>
  db().auditEvent.findMany({ where: { action }, orderBy: [{ at: "asc" }, { id: "asc" }] });

let ana: UserActor;
let quentin: UserActor;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  ana = await persona("ana.admin");
  quentin = await persona("quentin.qa");
});

describe("getAccessMatrix", () => {
  it("shows a non-editor only the rows of their own roles, every environment in pipeline order", async () => {
    const matrix = await getAccessMatrix(quentin);
    expect(matrix.canEdit).toBe(false);
    expect(matrix.environments.map((e) => e.key)).toEqual(["development", "staging", "production"]);
    expect(matrix.roles.map((r) => [r.key, r.mine])).toEqual([["qa", true]]);
    const [qa] = matrix.roles;
    expect(qa!.cells.map((c) => c.level)).toEqual(["read", "full", "none"]);
    expect(qa!.cells[0]).toMatchObject({ permissions: ["environment.view", "audit.view"], updatedBy: null });
    expect(qa!.global).toEqual([]);
    expect(matrix.lastChange).toBeNull();
  });

  it("shows a matrix.edit holder every role, with global permissions and custom cells", async () => {
    const matrix = await getAccessMatrix(ana);
    expect(matrix.canEdit).toBe(true);
    expect(matrix.roles.map((r) => r.key)).toEqual([
      "admin",
      "product_owner",
      "qa",
      "developer",
      "devops",
      "operations",
      "business_owner",
    ]);
    const admin = matrix.roles[0]!;
    expect(admin).toMatchObject({
      mine: true,
      global: ["matrix.edit", "audit.view", "user.manage", "token.manage", "flag.manage", "notification.manage"],
    });
    const po = matrix.roles.find((r) => r.key === "product_owner")!;
    expect(po.mine).toBe(false);
    expect(po.cells.map((c) => c.level)).toEqual(["none", "custom", "custom"]);
    expect(po.cells[2]!.permissions).toEqual(["environment.view", "release.approve"]);
  });

  it("reads in at most 4 queries", async () => {
    expect((await countQueries(() => getAccessMatrix(ana))).queries).toBeLessThanOrEqual(4);
    expect((await countQueries(() => getAccessMatrix(quentin))).queries).toBeLessThanOrEqual(4);
  });

  it("names the latest change among the rows shown", async () => {
    await updateMatrixCell(ana, { roleKey: "qa", environmentKey: "production", level: "read" });
    await updateRoleGlobalPermissions(ana, { roleKey: "developer", permissions: ["token.manage"] });

    expect((await getAccessMatrix(ana)).lastChange).toMatchObject({
      kind: "global",
      actor: "Ana Ruiz",
      role: { key: "developer", name: "Developer" },
      permissions: ["token.manage"],
    });
    // Quentin's rows are qa only: the developer change is not his to see
    expect((await getAccessMatrix(quentin)).lastChange).toMatchObject({
      kind: "cell",
      actor: "Ana Ruiz",
      role: { key: "qa", name: "QA engineer" },
      environment: { key: "production", name: "Production" },
      level: "read",
    });
  });
});

describe("matrix.cell.update", () => {
  it("sets a named level, records who changed it, and audits before and after", async () => {
    const production = await environmentId("production");
    const result = await updateMatrixCell(ana, { roleKey: "qa", environmentKey: "production", level: "read" });
    expect(result).toMatchObject({
      environmentId: production,
      level: "read",
      permissions: ["environment.view", "audit.view"],
      updatedBy: "Ana Ruiz",
    });
    expect(await cell("qa", "production")).toEqual({
      permissions: ["ENVIRONMENT_VIEW", "AUDIT_VIEW"],
      updatedById: ana.id,
    });

    const qa = (await getAccessMatrix(ana)).roles.find((r) => r.key === "qa")!;
    expect(qa.cells[2]).toMatchObject({ level: "read", updatedBy: "Ana Ruiz" });

    const [event] = await matrixAudits();
    expect(event).toMatchObject({
      actorUserId: ana.id,
      actorLabel: "Ana Ruiz",
      entityType: "EnvironmentPermission",
      environmentId: production,
      before: { role: { key: "qa" }, environment: { key: "production" }, level: "none", permissions: [] },
      after: {
        role: { key: "qa", name: "QA engineer" },
        environment: { key: "production", name: "Production" },
        level: "read",
        permissions: ["environment.view", "audit.view"],
      },
    });
  });

  it("sets an exact permission set (Custom), once each and in the vocabulary's order", async () => {
    const result = await updateMatrixCell(ana, {
      roleKey: "qa",
      environmentKey: "production",
      permissions: ["checklist.tick", "environment.view", "checklist.tick"],
    });
    expect(result).toMatchObject({ level: "custom", permissions: ["environment.view", "checklist.tick"] });
    const [event] = await matrixAudits();
    expect(event?.after).toMatchObject({ level: "custom", permissions: ["environment.view", "checklist.tick"] });

    // a list that happens to equal a level reads as that level
    const named = await updateMatrixCell(ana, {
      roleKey: "qa",
      environmentKey: "production",
      permissions: ["environment.view"],
    });
    expect(named.level).toBe("view");
  });

  it("takes effect on the affected user's very next request", async () => {
    const production = await environmentId("production");
    expect(quentin.byEnvironment.get(production)?.size ?? 0).toBe(0);
    await updateMatrixCell(ana, { roleKey: "qa", environmentKey: "production", level: "deploy" });
    const next = await loadUserActor(quentin.id);
    expect([...(next?.byEnvironment.get(production) ?? [])].sort()).toEqual([
      "deploy.rollback",
      "deploy.trigger",
      "environment.view",
    ]);

    await updateMatrixCell(ana, { roleKey: "qa", environmentKey: "staging", level: "none" });
    expect((await loadUserActor(quentin.id))?.byEnvironment.get(await environmentId("staging"))?.size ?? 0).toBe(0);
  });

  it("refuses a user without matrix.edit: ForbiddenError, nothing changed, authz.denied recorded", async () => {
    const before = await cell("qa", "production");
    await expect(
      updateMatrixCell(quentin, { roleKey: "qa", environmentKey: "production", level: "full" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await cell("qa", "production")).toEqual(before);
    expect(await matrixAudits()).toEqual([]);
    const denied = await db().auditEvent.findMany({ where: { action: "authz.denied" } });
    expect(denied).toEqual([
      expect.objectContaining({
        actorUserId: quentin.id,
        entityId: "matrix.edit",
        environmentId: await environmentId("production"),
        after: expect.objectContaining({ attempted: "matrix.cell.update" }) as unknown,
      }),
    ]);
  });

  it("rejects an unknown level or permission, and neither or both of level and permissions", async () => {
    const bad = [
      { roleKey: "qa", environmentKey: "production", level: "admin" },
      { roleKey: "qa", environmentKey: "production", permissions: ["environment.view", "release.delete"] },
      // matrix.edit is global only: no cell can grant it
      { roleKey: "qa", environmentKey: "production", permissions: ["matrix.edit"] },
      { roleKey: "qa", environmentKey: "production" },
      { roleKey: "qa", environmentKey: "production", level: "full", permissions: [] },
      { roleKey: "", environmentKey: "production", level: "full" },
    ];
    for (const input of bad) {
      const error = await updateMatrixCell(ana, input).catch((e: unknown) => e);
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError);
    }
    const error = (await updateMatrixCell(ana, bad[0]).catch((e: unknown) => e)) as ValidationError;
    expect(Object.keys(error.fieldErrors)).toEqual(["level"]);
    expect(await matrixAudits()).toEqual([]);
  });

  it("throws NotFoundError for an unknown role or environment", async () => {
    await expect(
      updateMatrixCell(ana, { roleKey: "qa", environmentKey: "moon", level: "full" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      updateMatrixCell(ana, { roleKey: "astronaut", environmentKey: "production", level: "full" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await db().environmentPermission.count({ where: { role: { key: "astronaut" } } })).toBe(0);
  });

  it("creates the row of a cell that has none yet", async () => {
    const role = await db().role.create({ data: { key: "support", name: "Support" } });
    await updateMatrixCell(ana, { roleKey: "support", environmentKey: "staging", level: "view" });
    const row = await db().environmentPermission.findFirstOrThrow({ where: { roleId: role.id } });
    expect(row.permissions).toEqual(["ENVIRONMENT_VIEW"]);
    expect((await matrixAudits())[0]?.before).toMatchObject({ level: "none", permissions: [] });
  });

  it("applies 10 simultaneous changes of one cell one after the other, without errors", async () => {
    const changes = [
      { level: "full" },
      { level: "deploy" },
      { level: "read" },
      { level: "view" },
      { level: "none" },
      { permissions: ["environment.view", "flag.toggle"] },
      { permissions: ["release.approve"] },
      { permissions: ["environment.view", "checklist.tick"] },
      { permissions: ["deploy.trigger"] },
      { permissions: ["environment.manage", "environment.view"] },
    ];
    // a starting point none of the changes sets, so the line of before → after is unambiguous
    await db().environmentPermission.updateMany({
      where: { role: { key: "qa" }, environment: { key: "production" } },
      data: { permissions: ["FLAG_APPROVE"] },
    });
    const results = await Promise.allSettled(
      changes.map((change) => updateMatrixCell(ana, { roleKey: "qa", environmentKey: "production", ...change })),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const finalRow = await cell("qa", "production");
    const finalPermissions = finalRow.permissions.map((p) => p.toLowerCase().replace("_", ".")).sort();
    const outcomes = results.map((r) => (r.status === "fulfilled" ? [...r.value.permissions].sort() : []));
    expect(outcomes).toContainEqual(finalPermissions);

    // each change audited the state the previous one left: they applied in a line. (Audit
    // times are transaction start times, so the line is rebuilt from before/after instead.)
    const events = await matrixAudits();
    expect(events).toHaveLength(10);
    const steps = events.map((e) => ({
      before: (e.before as { permissions: string[] }).permissions.join(),
      after: (e.after as { permissions: string[] }).permissions.join(),
    }));
    let state = "flag.approve";
    for (let i = 0; i < 10; i++) {
      const next = steps.findIndex((s) => s.before === state);
      expect(next, `a change that started from "${state}"`).toBeGreaterThanOrEqual(0);
      state = steps.splice(next, 1)[0]!.after;
    }
    expect(state.split(",").filter(Boolean).sort()).toEqual(finalPermissions);
  });
});

describe("matrix.role.global.update", () => {
  it("sets a role's global permissions, audits before and after, and takes effect at once", async () => {
    const result = await updateRoleGlobalPermissions(ana, {
      roleKey: "qa",
      permissions: ["token.manage", "audit.view", "audit.view"],
    });
    expect(result).toEqual(["audit.view", "token.manage"]);
    const [event] = await matrixAudits("matrix.role.global.update");
    expect(event).toMatchObject({
      actorUserId: ana.id,
      entityType: "Role",
      environmentId: null,
      before: { role: { key: "qa", name: "QA engineer" }, permissions: [] },
      after: { role: { key: "qa", name: "QA engineer" }, permissions: ["audit.view", "token.manage"] },
    });
    expect([...((await loadUserActor(quentin.id))?.global ?? [])].sort()).toEqual(["audit.view", "token.manage"]);
  });

  it("refuses a user without matrix.edit: ForbiddenError, nothing changed, authz.denied recorded", async () => {
    await expect(
      updateRoleGlobalPermissions(quentin, { roleKey: "qa", permissions: ["matrix.edit"] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await db().role.findUniqueOrThrow({ where: { key: "qa" } })).globalPermissions).toEqual([]);
    expect(await matrixAudits("matrix.role.global.update")).toEqual([]);
    expect(
      await db().auditEvent.count({
        where: { action: "authz.denied", actorUserId: quentin.id, entityId: "matrix.edit", environmentId: null },
      }),
    ).toBe(1);
  });

  it("rejects unknown or per-environment permissions and an unknown role", async () => {
    for (const permissions of [["root"], ["release.approve"]])
      await expect(updateRoleGlobalPermissions(ana, { roleKey: "qa", permissions })).rejects.toBeInstanceOf(
        ValidationError,
      );
    await expect(updateRoleGlobalPermissions(ana, { roleKey: "astronaut", permissions: [] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("refuses to leave no role with active members holding matrix.edit", async () => {
    const lockOut = () => updateRoleGlobalPermissions(ana, { roleKey: "admin", permissions: ["user.manage"] });
    const error = await lockOut().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/matrix\.edit/);
    expect((await db().role.findUniqueOrThrow({ where: { key: "admin" } })).globalPermissions).toContain("MATRIX_EDIT");
    expect(await matrixAudits("matrix.role.global.update")).toEqual([]);

    // a role holding matrix.edit whose only member is deactivated does not count
    await updateRoleGlobalPermissions(ana, { roleKey: "operations", permissions: ["matrix.edit"] });
    await db().user.update({ where: { email: "omar.operations@monepiceriz.example" }, data: { active: false } });
    await expect(lockOut()).rejects.toBeInstanceOf(ConflictError);

    // with an active member it does: admin may then give matrix.edit up
    await db().user.update({ where: { email: "omar.operations@monepiceriz.example" }, data: { active: true } });
    expect(await lockOut()).toEqual(["user.manage"]);
    expect((await loadUserActor(ana.id))?.global.has("matrix.edit")).toBe(false);
  });

  it("lets only one of two simultaneous removals of the last two holders through", async () => {
    await updateRoleGlobalPermissions(ana, { roleKey: "operations", permissions: ["matrix.edit"] });
    const results = await Promise.allSettled([
      updateRoleGlobalPermissions(ana, { roleKey: "admin", permissions: [] }),
      updateRoleGlobalPermissions(ana, { roleKey: "operations", permissions: [] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected");
    expect(rejected?.reason).toBeInstanceOf(ConflictError);
    expect(await db().role.count({ where: { globalPermissions: { has: "MATRIX_EDIT" } } })).toBe(1);
  });
});
