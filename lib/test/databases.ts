import pg from "pg";

// Databases for tests: a fresh database on the PostgreSQL server named by TEST_DATABASE_URL
// (created here, dropped afterwards; never one the tests did not create), or else a fresh
// in-memory embedded database.

export interface TestDatabase {
  url: string;
  embedded: boolean;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = "greenlight_test"): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    // loaded only here: PGlite adds ~40 MB to a process (bench:rollouts measures its RSS)
    const { startEmbedded } = await import("../embedded");
    const db = await startEmbedded();
    return { url: db.url, embedded: true, drop: () => db.stop() };
  }
  const host = new URL(base).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host) && process.env.ALLOW_REMOTE_TEST_DATABASE !== "1")
    throw new Error(
      `TEST_DATABASE_URL points at ${host}: tests only run against a local server (set ALLOW_REMOTE_TEST_DATABASE=1 to override)`,
    );
  const database = await createDatabaseOn(base, prefix);
  return { ...database, embedded: false };
}

/**
 * A new, empty database on the server `base` points at (which must allow CREATE DATABASE),
 * and how to drop it again. Used by tests and benchmarks alike.
 */
export async function createDatabaseOn(base: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
