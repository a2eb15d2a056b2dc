import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { db } from "../../db";
import { toDbPermission } from "../../domain/permissions";
import type { Permission as DbPermission } from "../../generated/prisma/client";
import { appRoleGrants, setUpAppRole } from "../../migrate/roles";
import { loadPreset } from "../../presets/load";
import { userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { hashToken, tokenActor } from "../actors/token";
import { listAuditEvents, exportAuditEventsCsv } from "./log";
import { audit, writeAuditEvent } from "./record";

// The audit trail is append-only in the database itself: a trigger refuses UPDATE, DELETE and
// TRUNCATE whoever sends them (migration security_hardening), and a row keeps the names it
// shows, so deleting its user, token or environment changes nothing in it. The app's own role
// (README, "Database roles") may only read and append.

const APPEND_ONLY = /the audit trail is append-only: (UPDATE|DELETE|TRUNCATE) on "AuditEvent" is not allowed/;

/** The database's message, however the client wrapped it. */
async function refusal(attempt: () => Promise<unknown>): Promise<string> {
  try {
    await attempt();
  } catch (e) {
    const err = e as Error & { meta?: unknown; cause?: unknown };
    return [err.message, JSON.stringify(err.meta ?? null), err.cause instanceof Error ? err.cause.message : ""].join(
      " ",
    );
  }
  return "it was allowed";
}

const snapshot = () =>
  db().$queryRaw<{ rows: number; digest: string }[]>`
    select count(*)::int as rows, coalesce(md5(string_agg(e::text, '|' order by id)), '') as digest
    from "AuditEvent" e`;

let admin: Awaited<ReturnType<typeof userWithRoles>>;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  admin = await userWithRoles(["admin"]);
  const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
  await db().$transaction(async (tx) => {
    for (let i = 0; i < 3; i++)
      await audit(tx, admin, { action: "environment.update", entityType: "Environment", environmentId: staging.id });
  });
});

describe("the audit trail refuses to be rewritten", () => {
  it("through Prisma: update, updateMany, delete, deleteMany each fail with the trigger's error", async () => {
    const before = await snapshot();
    const one = await db().auditEvent.findFirstOrThrow();
    const attempts = [
      () => db().auditEvent.update({ where: { id: one.id }, data: { actorLabel: "someone else" } }),
      () => db().auditEvent.updateMany({ data: { action: "nothing.happened" } }),
      () => db().auditEvent.delete({ where: { id: one.id } }),
      () => db().auditEvent.deleteMany(),
    ];
    for (const attempt of attempts) expect(await refusal(attempt)).toMatch(APPEND_ONLY);
    expect(await snapshot()).toEqual(before);
  });

  const RAW = [
    `UPDATE "AuditEvent" SET "actorLabel" = 'someone else'`,
    `DELETE FROM "AuditEvent"`,
    `TRUNCATE "AuditEvent"`,
    `TRUNCATE "AuditEvent", "Environment" CASCADE`,
  ];

  it("through raw SQL: UPDATE, DELETE and TRUNCATE fail with the trigger's error", async () => {
    const before = await snapshot();
    for (const statement of RAW) expect(await refusal(() => db().$executeRawUnsafe(statement))).toMatch(APPEND_ONLY);
    expect(await snapshot()).toEqual(before);
  });

  // a connection of its own, outside Prisma: the embedded test database serves one connection
  it.skipIf(inject("embeddedDatabase"))("on a plain connection, each fails with SQLSTATE 42501", async () => {
    const before = await snapshot();
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      for (const statement of RAW) {
        const error = await client.query(statement).then(
          () => null,
          (e: unknown) => e as { code?: string; message: string },
        );
        expect(error?.code, statement).toBe("42501");
        expect(error?.message, statement).toMatch(APPEND_ONLY);
      }
    } finally {
      await client.end();
    }
    expect(await snapshot()).toEqual(before);
  });

  it("inside a transaction, the refusal takes the whole transaction with it: nothing changes", async () => {
    const before = await snapshot();
    const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    const message = await refusal(() =>
      db().$transaction(async (tx) => {
        await tx.environment.update({ where: { id: staging.id }, data: { name: "Renamed" } });
        await audit(tx, admin, { action: "environment.update", entityType: "Environment", environmentId: staging.id });
        await tx.$executeRaw`delete from "AuditEvent" where action = 'environment.update'`;
      }),
    );
    expect(message).toMatch(APPEND_ONLY);
    expect(await snapshot()).toEqual(before);
    expect((await db().environment.findUniqueOrThrow({ where: { id: staging.id } })).name).toBe(staging.name);
  });

  it("appending still works, and a row reads the environment's key and name it was written with", async () => {
    const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    await writeAuditEvent(db(), null, {
      action: "deployment.fail",
      entityType: "Deployment",
      environmentId: staging.id,
    });
    const row = await db().auditEvent.findFirstOrThrow({ where: { action: "deployment.fail" } });
    expect(row).toMatchObject({ environmentId: staging.id, environmentKey: "staging", environmentName: staging.name });
    // an id naming no environment stores neither name, and the row is still written
    await writeAuditEvent(db(), null, {
      action: "deployment.fail",
      entityType: "Deployment",
      environmentId: "00000000-0000-7000-8000-000000000000",
    });
    expect(await db().auditEvent.count({ where: { action: "deployment.fail", environmentKey: null } })).toBe(1);
  });
});

describe("a row stays readable after what it names is deleted", () => {
  it("deleting the environment, the user and the token leaves old rows with their names and ids", async () => {
    const scratch = await db().environment.create({
      data: { key: "scratch", name: "Scratch area", position: 99, color: "#aa3377" },
    });
    const person = await userWithRoles(["admin"], "Dana Deleted");
    const secret = `glt_${randomBytes(24).toString("base64url")}`;
    const token = await db().apiToken.create({
      data: {
        name: "ci-gone",
        prefix: secret.slice(0, 8),
        tokenHash: hashToken(secret),
        permissions: [toDbPermission("release.create") as DbPermission],
        ownerId: admin.id,
      },
    });
    const tokenAsActor = await tokenActor(`Bearer ${secret}`);
    if (!tokenAsActor) throw new Error("the token did not load");
    await db().$transaction(async (tx) => {
      await audit(tx, person, { action: "freeze.create", entityType: "FreezeWindow", environmentId: scratch.id });
      await audit(tx, tokenAsActor, { action: "release.create", entityType: "Release", environmentId: scratch.id });
    });
    const written = await db().auditEvent.findMany({ where: { environmentId: scratch.id }, orderBy: { id: "asc" } });

    await db().environment.delete({ where: { id: scratch.id } });
    await db().user.delete({ where: { id: person.id } });
    await db().apiToken.delete({ where: { id: token.id } });

    const after = await db().auditEvent.findMany({ where: { environmentId: scratch.id }, orderBy: { id: "asc" } });
    expect(after).toEqual(written);
    // both rows were written in the same millisecond: their order (by id, a uuidv7) is not
    // defined, so they are compared by who acted
    const byLabel = <T extends { actorLabel: string }>(rows: T[]) =>
      [...rows].sort((a, b) => a.actorLabel.localeCompare(b.actorLabel));
    expect(
      byLabel(after).map((e) => [e.actorLabel, e.actorUserId, e.actorTokenId, e.environmentKey, e.environmentName]),
    ).toEqual([
      ["Dana Deleted", person.id, null, "scratch", "Scratch area"],
      ["token ci-gone", null, token.id, "scratch", "Scratch area"],
    ]);

    // the audit page and the CSV show them as they were
    const list = await listAuditEvents(admin, {});
    const shown = byLabel(list.rows.filter((r) => r.environment?.key === "scratch"));
    expect(shown.map((r) => [r.actorLabel, r.actorKind, r.environment])).toEqual([
      ["Dana Deleted", "user", { key: "scratch", name: "Scratch area", color: "#64748b", deleted: true }],
      ["token ci-gone", "token", { key: "scratch", name: "Scratch area", color: "#64748b", deleted: true }],
    ]);
    expect(shown[0]?.summary).toContain("Scratch area");
    const csv = await exportAuditEventsCsv(admin, {});
    let text = "";
    for await (const chunk of csv.chunks) text += chunk;
    expect(text).toMatch(/,Dana Deleted,user,freeze\.create,[^,]+,scratch,Scratch area,/);
    expect(text).toMatch(/,token ci-gone,token,release\.create,[^,]+,scratch,Scratch area,/);
  });

  it("an environment renamed later: the row keeps the name it had, and the environment's colour", async () => {
    const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    await db().environment.update({ where: { id: staging.id }, data: { name: "Pre-production" } });
    const list = await listAuditEvents(admin, { environment: "staging" });
    expect(list.rows.map((r) => r.environment)).toEqual(
      Array(3).fill({ key: "staging", name: staging.name, color: staging.color, deleted: false }),
    );
  });
});

// Roles are cluster-wide and the suites of several checkouts share one server: a name of our
// own, dropped afterwards. PGlite has a single user, so this part needs a PostgreSQL server.
describe.skipIf(inject("embeddedDatabase"))("the app's least-privilege role", () => {
  const role = `greenlight_app_test_${randomBytes(5).toString("hex")}`;
  const generous = `${role}_all`;

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      await setUpAppRole(client, role);
      // a role given every table right, TRUNCATE included, but still not the owner
      await client.query(`CREATE ROLE "${generous}" NOLOGIN`);
      await client.query(`GRANT USAGE ON SCHEMA public TO "${generous}"`);
      await client.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO "${generous}"`);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      for (const name of [role, generous]) {
        await client.query(`DROP OWNED BY "${name}"`).catch(() => undefined);
        await client.query(`DROP ROLE IF EXISTS "${name}"`);
      }
    } finally {
      await client.end();
    }
  });

  /** Runs `fn` as `name` in a transaction of its own, rolled back; returns the error it met, if any. */
  async function as(name: string, statement: string): Promise<{ code?: string; message: string } | null> {
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      await client.query("begin");
      await client.query(`set local role "${name}"`);
      return await client.query(statement).then(
        () => null,
        (e: unknown) => e as { code?: string; message: string },
      );
    } finally {
      await client.query("rollback").catch(() => undefined);
      await client.end();
    }
  }

  it("the grants are plain statements on this role only", () => {
    expect(appRoleGrants("greenlight_app")).toContain(
      `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "AuditEvent" FROM "greenlight_app"`,
    );
    expect(() => appRoleGrants(`x"; drop table "User`)).toThrow(/not a plain role name/);
  });

  it("set up that way, it reads and writes the app's rows and appends audit events", async () => {
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      await client.query("begin");
      await client.query(`set local role "${role}"`);
      const count = async () =>
        (await client.query<{ n: number }>(`select count(*)::int as n from "AuditEvent"`)).rows[0]?.n;
      const before = await count();
      await client.query(`update "Environment" set description = 'changed by the app role' where key = 'staging'`);
      await client.query(
        `insert into "AuditEvent" (id, "actorLabel", action, "entityType") values ('01900000-0000-7000-8000-000000000001', 'app', 'environment.update', 'Environment')`,
      );
      expect(await count()).toBe(Number(before) + 1);
      // pg-boss runs with plain DML too, and the migration record can be read (npm start checks it)
      await client.query(`select count(*) from pgboss.job`);
      await client.query(`select count(*) from "_prisma_migrations"`);
      await client.query("rollback");
    } finally {
      await client.end();
    }
  });

  it.each([
    [`UPDATE "AuditEvent" SET "actorLabel" = 'x'`, /permission denied for table AuditEvent/],
    [`DELETE FROM "AuditEvent"`, /permission denied for table AuditEvent/],
    [`TRUNCATE "AuditEvent"`, /permission denied for table AuditEvent/],
    [`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_or_delete`, /must be owner of table AuditEvent/],
    [`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`, /must be owner of table AuditEvent/],
    [`DROP TRIGGER audit_event_no_truncate ON "AuditEvent"`, /must be owner of (table|relation) AuditEvent/],
    [`SET session_replication_role = replica`, /permission denied to set parameter/],
    [`DELETE FROM "_prisma_migrations"`, /permission denied for table _prisma_migrations/],
  ])("it cannot: %s", async (statement, error) => {
    const refused = await as(role, statement);
    expect(refused?.code).toBe("42501");
    expect(refused?.message).toMatch(error);
  });

  it.each([`UPDATE "AuditEvent" SET "actorLabel" = 'x'`, `DELETE FROM "AuditEvent"`, `TRUNCATE "AuditEvent"`])(
    "even granted every table right, a role that does not own the table meets the trigger: %s",
    async (statement) => {
      const refused = await as(generous, statement);
      expect(refused?.code).toBe("42501");
      expect(refused?.message).toMatch(APPEND_ONLY);
      expect((await as(generous, `ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`))?.message).toMatch(/must be owner/);
    },
  );
});

describe("when an event happened", () => {
  it("is the moment audit() was called, in UTC like every other timestamp, not the transaction's start", async () => {
    const before = Date.now();
    await db().$transaction(async (tx) => {
      await new Promise((r) => setTimeout(r, 300));
      await audit(tx, null, { action: "preset.load", entityType: "Preset" });
    });
    const row = await db().auditEvent.findFirstOrThrow({ where: { action: "preset.load" }, orderBy: { at: "desc" } });
    expect(row.at.getTime()).toBeGreaterThanOrEqual(before + 250);
    expect(row.at.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
