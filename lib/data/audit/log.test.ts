import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { Actor, UserActor } from "../../domain/access";
import { toDbPermission, type Permission } from "../../domain/permissions";
import type { Permission as DbPermission } from "../../generated/prisma/client";
import { userWithRoles } from "../../test/actors";
import { resetAuditTrail, resetDatabase } from "../../test/reset";
import { hashToken, tokenActor } from "../../session";
import {
  AUDIT_PAGE_SIZE,
  auditFilterOptions,
  csvField,
  exportAuditEventsCsv,
  listAuditEvents,
  type AuditFilterInput,
} from "./log";
import { ForbiddenError, ValidationError } from "../errors";
import { countQueries } from "../../test/pipeline.fixture";
import { loadPreset } from "../../presets/load";
import { tokenOwnerId } from "../../test/tokens";

type Env = { id: string; key: string; name: string };
let development: Env;
let staging: Env;
let production: Env;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  // start from an empty trail: each test writes exactly the events it reads
  await resetAuditTrail();
  const environments = await db().environment.findMany({ select: { id: true, key: true, name: true } });
  const byKey = (key: string) => {
    const found = environments.find((e) => e.key === key);
    if (!found) throw new Error(`preset 000 has no ${key}`);
    return found;
  };
  [development, staging, production] = [byKey("development"), byKey("staging"), byKey("production")];
});

interface EventSpec {
  at: string;
  action: string;
  actorLabel?: string;
  actorUserId?: string;
  actorTokenId?: string;
  environmentId?: string | null;
  before?: object;
  after?: object;
}

async function events(...specs: EventSpec[]): Promise<void> {
  await db().auditEvent.createMany({
    data: specs.map((s) => ({
      at: new Date(s.at),
      action: s.action,
      actorLabel: s.actorLabel ?? "system",
      actorUserId: s.actorUserId ?? null,
      actorTokenId: s.actorTokenId ?? null,
      entityType: "Test",
      environmentId: s.environmentId ?? null,
      before: s.before,
      after: s.after,
    })),
  });
}

/** A user whose only audit.view is in the given environments' matrix cells (no global one). */
async function auditorOf(...environments: Env[]): Promise<UserActor> {
  const key = `auditor_${randomUUID().slice(0, 8)}`;
  await db().role.create({
    data: {
      key,
      name: key,
      permissions: {
        create: environments.map((e) => ({
          environmentId: e.id,
          permissions: ["environment.view", "audit.view"].map((p) => toDbPermission(p as Permission) as DbPermission),
        })),
      },
    },
  });
  return userWithRoles([key]);
}

async function token(permissions: Permission[], environments: Env[] = []): Promise<Actor> {
  const plaintext = `gl_${randomUUID()}`;
  await db().apiToken.create({
    data: {
      name: `test-${plaintext.slice(3, 11)}`,
      prefix: plaintext.slice(0, 7),
      tokenHash: hashToken(plaintext),
      ownerId: await tokenOwnerId(),
      permissions: permissions.map((p) => toDbPermission(p) as DbPermission),
      environments: { connect: environments.map((e) => ({ id: e.id })) },
    },
  });
  const actor = await tokenActor(`Bearer ${plaintext}`);
  if (!actor) throw new Error("test token did not load");
  return actor;
}

/** A small trail: sign-ins (no environment) and changes in each environment. */
async function mixedTrail(): Promise<void> {
  await events(
    { at: "2026-03-01T08:00:00Z", action: "auth.sign_in", actorLabel: "Ana Ruiz", after: { method: "password" } },
    {
      at: "2026-03-01T08:05:00Z",
      action: "auth.sign_in.failed",
      actorLabel: "bob@example.com",
      after: { email: "bob@example.com", reason: "wrong password" },
    },
    { at: "2026-03-02T09:00:00Z", action: "flag.state.update", environmentId: development.id, actorLabel: "Dev Dan" },
    { at: "2026-03-02T10:00:00Z", action: "flag.state.update", environmentId: staging.id, actorLabel: "Quinn QA" },
    { at: "2026-03-03T11:00:00Z", action: "matrix.cell.update", environmentId: production.id, actorLabel: "Ana Ruiz" },
    { at: "2026-03-03T12:00:00Z", action: "auth.sign_out", actorLabel: "Ana Ruiz" },
  );
}

async function deniedRows() {
  return db().auditEvent.findMany({ where: { action: "authz.denied" }, orderBy: { at: "asc" } });
}

describe("who sees which events", () => {
  beforeEach(mixedTrail);

  it("a global audit.view (admin) sees every event, newest first", async () => {
    const admin = await userWithRoles(["admin"]);
    const list = await listAuditEvents(admin);
    expect(list.scope).toBe("all");
    expect(list.total).toBe(6);
    expect(list.rows.map((r) => r.action)).toEqual([
      "auth.sign_out",
      "matrix.cell.update",
      "flag.state.update",
      "flag.state.update",
      "auth.sign_in.failed",
      "auth.sign_in",
    ]);
    expect(list.rows[1]?.environment).toMatchObject({ key: "production", name: production.name });
  });

  it("audit.view in some environments sees those environments' events and nothing without one", async () => {
    const auditor = await auditorOf(development, staging);
    const list = await listAuditEvents(auditor);
    expect(list.scope).toBe("environments");
    expect(list.rows.map((r) => r.environment?.key)).toEqual(["staging", "development"]);
    expect(list.total).toBe(2);
  });

  it("refuses an environment filter outside the actor's environments, and records it", async () => {
    const auditor = await auditorOf(staging);
    await expect(listAuditEvents(auditor, { environment: "production" })).rejects.toBeInstanceOf(ForbiddenError);
    const [denied] = await deniedRows();
    expect(denied).toMatchObject({ actorUserId: auditor.id, entityId: "audit.view", environmentId: production.id });
    expect(denied?.after).toMatchObject({ attempted: "audit.list", environment: production.name });
  });

  it("refuses a user without audit.view anywhere with ForbiddenError and an authz.denied row", async () => {
    const viewer = await userWithRoles(["business_owner"]);
    await expect(listAuditEvents(viewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(auditFilterOptions(viewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportAuditEventsCsv(viewer)).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await deniedRows();
    expect(denied).toHaveLength(3);
    expect(denied.map((d) => (d.after as { attempted: string }).attempted)).toEqual([
      "audit.list",
      "audit.list",
      "audit.export",
    ]);
    expect(denied.every((d) => d.actorUserId === viewer.id && d.environmentId === null)).toBe(true);
  });

  it("a token limited to environments reads only theirs; an unlimited one reads everything", async () => {
    const limited = await token(["audit.view"], [production]);
    expect((await listAuditEvents(limited)).rows.map((r) => r.action)).toEqual(["matrix.cell.update"]);
    const unlimited = await token(["audit.view"]);
    expect((await listAuditEvents(unlimited)).total).toBe(6);
    const without = await token(["release.create"]);
    await expect(listAuditEvents(without)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("offers the actions and environments within the actor's scope", async () => {
    const admin = await userWithRoles(["admin"]);
    const all = await auditFilterOptions(admin);
    expect(all.actions.map((a) => a.value).sort()).toEqual([
      "auth.sign_in",
      "auth.sign_in.failed",
      "auth.sign_out",
      "flag.state.update",
      "matrix.cell.update",
    ]);
    expect(all.actions.find((a) => a.value === "auth.sign_in.failed")?.label).toBe("Failed sign-in");
    expect(all.actionGroups).toEqual([{ value: "auth.", label: "Any sign-in or sign-out" }]);
    expect(all.environments.map((e) => e.key)).toEqual(["development", "staging", "production"]);

    const scoped = await auditFilterOptions(await auditorOf(staging));
    expect(scoped.actions.map((a) => a.value)).toEqual(["flag.state.update"]);
    expect(scoped.environments.map((e) => e.key)).toEqual(["staging"]);
  });
});

describe("filters", () => {
  let admin: UserActor;
  beforeEach(async () => {
    await mixedTrail();
    admin = await userWithRoles(["admin"]);
  });

  const actions = async (filters: AuditFilterInput) =>
    (await listAuditEvents(admin, filters)).rows.map((r) => r.action);

  it("actor matches part of the label, whatever the case; LIKE wildcards are literal", async () => {
    expect(await actions({ actor: "ana" })).toEqual(["auth.sign_out", "matrix.cell.update", "auth.sign_in"]);
    expect(await actions({ actor: "BOB@" })).toEqual(["auth.sign_in.failed"]);
    expect(await actions({ actor: "%" })).toEqual([]);
    expect(await actions({ actor: "_" })).toEqual([]);
  });

  it("action matches exactly, or every action under a prefix ending in a dot", async () => {
    expect(await actions({ action: "auth.sign_in" })).toEqual(["auth.sign_in"]);
    expect(await actions({ action: "auth." })).toEqual(["auth.sign_out", "auth.sign_in.failed", "auth.sign_in"]);
    // the underscore is not a wildcard: auth.sign_in. must not match auth.signXin…
    expect(await actions({ action: "auth.sign_in." })).toEqual(["auth.sign_in.failed"]);
  });

  it("environment narrows to one environment's events", async () => {
    expect(await actions({ environment: "staging" })).toEqual(["flag.state.update"]);
    await expect(listAuditEvents(admin, { environment: "nowhere" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("from and to are whole UTC days, both included", async () => {
    await events(
      { at: "2026-03-04T00:00:00.000Z", action: "edge.start" },
      { at: "2026-03-04T23:59:59.999Z", action: "edge.end" },
      { at: "2026-03-05T00:00:00.000Z", action: "edge.after" },
    );
    expect(await actions({ from: "2026-03-04", to: "2026-03-04" })).toEqual(["edge.end", "edge.start"]);
    expect(await actions({ from: "2026-03-03", to: "2026-03-03" })).toEqual(["auth.sign_out", "matrix.cell.update"]);
    expect(await actions({ to: "2026-03-01" })).toEqual(["auth.sign_in.failed", "auth.sign_in"]);
    expect(await actions({ from: "2026-03-05" })).toEqual(["edge.after"]);
  });

  it("filters combine, and what was understood comes back for the form", async () => {
    const list = await listAuditEvents(admin, { actor: " Ana ", action: "auth.", from: "2026-03-02", to: "" });
    expect(list.rows.map((r) => r.action)).toEqual(["auth.sign_out"]);
    expect(list.filters).toEqual({ actor: "Ana", action: "auth.", from: "2026-03-02" });
  });

  it("refuses a start after the end, and dates that do not exist", async () => {
    const refused = await listAuditEvents(admin, { from: "2026-03-05", to: "2026-03-01" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors.to).toEqual(["“To” must be on or after “From”"]);
    const impossible = await listAuditEvents(admin, { from: "2026-02-30" }).catch((e: unknown) => e);
    expect((impossible as ValidationError).fieldErrors.from).toBeDefined();
    await expect(listAuditEvents(admin, { to: "yesterday" })).rejects.toBeInstanceOf(ValidationError);
    await expect(listAuditEvents(admin, { action: "x'; drop table" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("pages", () => {
  it("50 per page, newest first, clamped to the last page, in at most two queries", async () => {
    await events(
      ...Array.from({ length: 120 }, (_, i) => ({
        at: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(),
        action: `bulk.${String(i).padStart(3, "0")}`,
      })),
    );
    const admin = await userWithRoles(["admin"]);
    const first = await listAuditEvents(admin);
    expect(first).toMatchObject({ total: 120, page: 1, pageCount: 3, pageSize: AUDIT_PAGE_SIZE });
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]?.action).toBe("bulk.119");
    const third = await listAuditEvents(admin, { page: "3" });
    expect(third.rows.map((r) => r.action)).toEqual(
      Array.from({ length: 20 }, (_, i) => `bulk.${String(19 - i).padStart(3, "0")}`),
    );
    expect((await listAuditEvents(admin, { page: 99 })).page).toBe(3);
    expect((await listAuditEvents(admin, { page: "abc" })).page).toBe(1);
    // the environments, then the page with its total
    expect((await countQueries(() => listAuditEvents(admin, { page: 2, action: "bulk." }))).queries).toBe(2);
  });
});

describe("rows", () => {
  it("say who acted (person, token or system) and what happened, as a sentence", async () => {
    const ana = await userWithRoles(["admin"], "Ana");
    const tokenRow = await db().apiToken.create({ data: { name: "ci-main", prefix: "gl_ab12", tokenHash: "h" } });
    await events(
      {
        at: "2026-03-01T08:00:00Z",
        action: "preset.load",
        after: { preset: "demo", title: "Demo shop", environments: 3, roles: 7, users: 9 },
      },
      { at: "2026-03-01T09:00:00Z", action: "token.create", actorLabel: "token ci-main", actorTokenId: tokenRow.id },
      {
        at: "2026-03-01T10:00:00Z",
        action: "matrix.cell.update",
        actorLabel: "Ana",
        actorUserId: ana.id,
        environmentId: staging.id,
        before: { level: "Read only", permissions: ["environment.view", "audit.view"] },
        after: { level: "View only", permissions: ["environment.view"] },
      },
    );
    const [matrix, created, preset] = (await listAuditEvents(ana)).rows;
    expect(matrix).toMatchObject({
      actorKind: "user",
      actionLabel: "Access matrix cell changed",
      summary: `Ana changed what a role may do in ${staging.name}: Read only → View only (removed audit.view)`,
      before: { level: "Read only" },
      after: { level: "View only" },
    });
    expect(created).toMatchObject({
      actorKind: "token",
      actorLabel: "token ci-main",
      actionLabel: "API token created",
    });
    expect(preset).toMatchObject({
      actorKind: "system",
      summary: "Greenlight loaded the preset “Demo shop”: 3 environments, 7 roles, 9 users",
    });
  });
});

async function csvOf(actor: Actor, filters: AuditFilterInput = {}): Promise<string> {
  const { chunks } = await exportAuditEventsCsv(actor, filters);
  let out = "";
  for await (const chunk of chunks) out += chunk;
  return out;
}

describe("CSV export", () => {
  it("quotes fields as RFC 4180 says and neutralizes spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("+44 20")).toBe("'+44 20");
    expect(csvField("-5")).toBe("'-5");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=cmd")).toBe("'\t=cmd");
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField("a=b")).toBe("a=b");
  });

  it("holds a header and the filtered events newest first, and is itself audited", async () => {
    await mixedTrail();
    await events({
      at: "2026-03-04T00:00:00Z",
      action: "auth.sign_in.failed",
      actorLabel: '=HYPERLINK("http://evil.example","click")',
      after: { email: "=cmd", reason: "unknown email" },
    });
    const admin = await userWithRoles(["admin"]);
    const { rows, truncated } = await exportAuditEventsCsv(admin, { action: "auth." });
    expect({ rows, truncated }).toEqual({ rows: 4, truncated: false });
    const csv = await csvOf(admin, { action: "auth." });
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "at,actor,actor_kind,action,action_label,environment,environment_name,entity_type,entity_id,summary,ip,before,after",
    );
    expect(lines[1]).toMatch(/^2026-03-04T00:00:00\.000Z,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",user,/);
    expect(lines[1]).toContain('"{""email"":""=cmd"",""reason"":""unknown email""}"');
    expect(lines.slice(2, 5).map((l) => l.split(",")[3])).toEqual([
      "auth.sign_out",
      "auth.sign_in.failed",
      "auth.sign_in",
    ]);
    expect(lines[5]).toBe("");
    const exports = await db().auditEvent.findMany({ where: { action: "audit.export" } });
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ actorUserId: admin.id, after: { action: "auth.", rows: 4, truncated: false } });
  });

  it("an environment auditor's file holds only their environments' events", async () => {
    await mixedTrail();
    const csv = await csvOf(await auditorOf(staging));
    expect(csv.trim().split("\r\n")).toHaveLength(2);
    expect(csv).toContain(",staging,");
  });

  it("stops at 50,000 rows and says so", async () => {
    await db().$executeRaw`
      insert into "AuditEvent" (id, at, "actorLabel", action, "entityType")
      select gen_random_uuid(), timestamp '2026-01-01' + make_interval(secs => n), 'system', 'bulk.row', 'Test'
      from generate_series(1, 50003) as n`;
    const admin = await userWithRoles(["admin"]);
    const { rows, truncated, chunks } = await exportAuditEventsCsv(admin);
    expect({ rows, truncated }).toEqual({ rows: 50_000, truncated: true });
    let lines = 0;
    let last = "";
    for await (const chunk of chunks) {
      lines += chunk.split("\r\n").length - 1;
      last = chunk;
    }
    expect(lines).toBe(50_001);
    // newest first: the oldest three are the ones left out
    expect(last.trim().split("\r\n").at(-1)).toMatch(/^2026-01-01T00:00:04\.000Z,/);
  }, 120_000);
});
