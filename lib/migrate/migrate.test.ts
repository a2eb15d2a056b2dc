import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/databases";
import { MIGRATIONS_DIR } from "./engine";
import { deployMigrations, diffDatabaseToSchema, MigrationError, migrationStatus } from "./index";

// Each test gets a database of its own (the suite's shared one already holds the schema).
const created: TestDatabase[] = [];
async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase("greenlight_migrate");
  created.push(database);
  return database;
}
afterEach(async () => {
  await Promise.all(created.splice(0).map((d) => d.drop()));
});

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function localMigrations(): Promise<string[]> {
  const entries = await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

describe("migrations", () => {
  it("apply every migration to an empty database, recorded as Prisma records them, with no drift from schema.prisma", async () => {
    const database = await freshDatabase();
    const applied = await deployMigrations(database.url, { lock: !database.embedded });
    expect(applied).toEqual(await localMigrations());

    const rows = await withClient(database.url, (c) =>
      c.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        "select migration_name, checksum, finished_at from _prisma_migrations order by migration_name",
      ),
    );
    expect(rows.rows.map((r) => r.migration_name)).toEqual(applied);
    for (const row of rows.rows) {
      const sql = await fs.readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      const { createHash } = await import("node:crypto");
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }

    expect(await diffDatabaseToSchema(database.url)).toBe("");
    // applying again changes nothing
    expect(await deployMigrations(database.url, { lock: !database.embedded })).toEqual([]);
  });

  it("refuses to apply anything when an applied migration was changed afterwards", async () => {
    const database = await freshDatabase();
    const names = await localMigrations();
    const first = names[0]!;
    // a copy of the folder holding only the first migration, applied, then tampered with
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "greenlight-migrations-"));
    await fs.copyFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
    await fs.cp(path.join(MIGRATIONS_DIR, first), path.join(dir, first), { recursive: true });
    await deployMigrations(database.url, { lock: !database.embedded, dir });
    await fs.appendFile(path.join(dir, first, "migration.sql"), "\n-- edited after the fact\n");
    await fs.mkdir(path.join(dir, "99990101000000_later"));
    await fs.writeFile(
      path.join(dir, "99990101000000_later", "migration.sql"),
      'CREATE TABLE "ShouldNotExist" (id int);',
    );

    await expect(deployMigrations(database.url, { lock: !database.embedded, dir })).rejects.toThrow(MigrationError);
    await expect(deployMigrations(database.url, { lock: !database.embedded, dir })).rejects.toThrow(
      new RegExp(`${first} was changed after it was applied \\(checksum mismatch\\)`),
    );
    const after = await withClient(database.url, async (c) => ({
      status: await migrationStatus(c, dir),
      table: (await c.query<{ t: string | null }>(`select to_regclass('"ShouldNotExist"')::text as t`)).rows[0]?.t,
    }));
    expect(after.status.modified).toEqual([first]);
    expect(after.status.pending).toEqual(["99990101000000_later"]);
    expect(after.table).toBeNull();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "applies once when two instances start at the same time (advisory lock)",
    async () => {
      const database = await freshDatabase();
      const results = await Promise.all([deployMigrations(database.url), deployMigrations(database.url)]);
      const names = await localMigrations();
      // exactly one of the two applied everything; the other found nothing left to do
      expect(results.map((r) => r.length).sort()).toEqual([0, names.length]);
      const count = await withClient(database.url, (c) =>
        c.query<{ n: string }>("select count(*) as n from _prisma_migrations"),
      );
      expect(Number(count.rows[0]?.n)).toBe(names.length);
    },
  );
});
