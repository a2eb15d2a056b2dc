import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { installQueuesAt } from "../queue/boss";
import { FILTERS, MIGRATIONS_DIR, openEngine, readMigrationsList, type ShadowKind } from "./engine";

// Offline equivalents of `prisma migrate dev | deploy | status | diff`. They read and write
// Prisma's standard folder and `_prisma_migrations` table, so `prisma migrate deploy` from a
// machine with Prisma's engines agrees with them.

export class MigrationError extends Error {}

/** Arbitrary key for pg_advisory_lock; distinct from the one Prisma's engine takes itself. */
const MIGRATION_LOCK_KEY = 4_711_002;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedMigrations(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query<{ t: string | null }>(`select to_regclass('_prisma_migrations')::text as t`);
  if (!exists.rows[0]?.t) return [];
  const { rows } = await client.query<AppliedRow>(
    `select migration_name, checksum, finished_at, rolled_back_at from _prisma_migrations order by started_at`,
  );
  return rows;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** applied migrations whose file changed since (checksum mismatch) */
  modified: string[];
  /** applied migrations that no longer exist in the folder */
  missing: string[];
  /** migrations that started and never finished */
  failed: string[];
}

export async function migrationStatus(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const list = await readMigrationsList(dir);
  const local = new Map<string, string>();
  for (const m of list.migrationDirectories) {
    if (m.migrationFile.content.tag === "ok") local.set(m.path, sha256(m.migrationFile.content.value));
  }
  const rows = (await appliedMigrations(client)).filter((r) => !r.rolled_back_at);
  const status: MigrationStatus = { applied: [], pending: [], modified: [], missing: [], failed: [] };
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.migration_name);
    if (!row.finished_at) status.failed.push(row.migration_name);
    const checksum = local.get(row.migration_name);
    if (checksum === undefined) status.missing.push(row.migration_name);
    else if (checksum !== row.checksum) status.modified.push(row.migration_name);
    else status.applied.push(row.migration_name);
  }
  for (const name of local.keys()) if (!seen.has(name)) status.pending.push(name);
  return status;
}

function describeProblems(s: MigrationStatus): string | null {
  if (s.modified.length)
    return `migration ${s.modified.join(", ")} was changed after it was applied (checksum mismatch). Restore the original file; add a new migration for new changes.`;
  if (s.failed.length)
    return `migration ${s.failed.join(", ")} started but did not finish. Fix the database by hand, then mark it rolled back in _prisma_migrations.`;
  if (s.missing.length)
    return `the database has migration ${s.missing.join(", ")} applied, which is not in prisma/migrations. Is this checkout older than the database?`;
  return null;
}

export interface DeployOptions {
  /** take a PostgreSQL advisory lock so that app instances starting together apply once */
  lock?: boolean;
  dir?: string;
  /** runs while the lock is still held (e.g. load demo data into an empty database) */
  afterApply?: () => Promise<void>;
}

/** Applies pending migrations. Refuses, changing nothing, when an applied one was tampered with. */
export async function deployMigrations(url: string, options: DeployOptions = {}): Promise<string[]> {
  const { lock = true, dir = MIGRATIONS_DIR } = options;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    if (lock) await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const status = await migrationStatus(client, dir);
    const problem = describeProblems(status);
    if (problem) throw new MigrationError(problem);
    // without the lock this connection is not needed any more, and the embedded server serves
    // one connection at a time: release it before the engine (and afterApply) connect
    if (!lock) await client.end();
    let applied: string[] = [];
    if (status.pending.length) {
      const { engine, close } = await openEngine(url);
      try {
        const result = await engine.applyMigrations({
          migrationsList: await readMigrationsList(dir),
          filters: FILTERS,
        });
        applied = result.appliedMigrationNames;
      } finally {
        await close();
      }
    }
    // the job queue's tables and queues belong to the schema too: a job sent inside a
    // transaction must always find its queue (lib/queue)
    await installQueuesAt(url);
    await options.afterApply?.();
    return applied;
  } finally {
    if (lock) await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** The SQL that would take the database built by all migrations to schema.prisma ("" = no drift). */
export async function diffMigrationsToSchema(url: string, shadow: ShadowKind = "pglite"): Promise<string> {
  const { engine, close, schemaFiles } = await openEngine(url, shadow);
  try {
    const result = await engine.diff({
      from: { tag: "migrations", ...(await readMigrationsList()) },
      to: { tag: "schemaDatamodel", ...schemaFiles },
      script: true,
      exitCode: null,
      filters: FILTERS,
    });
    return emptyScriptToBlank(result.stdout ?? "");
  } finally {
    await close();
  }
}

/** The SQL that would take the live database at `url` to schema.prisma ("" = no drift). */
export async function diffDatabaseToSchema(url: string): Promise<string> {
  const { engine, close, schemaFiles } = await openEngine(url);
  try {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", ...schemaFiles, configDir: process.cwd() },
      to: { tag: "schemaDatamodel", ...schemaFiles },
      script: true,
      exitCode: null,
      filters: FILTERS,
    });
    return emptyScriptToBlank(result.stdout ?? "");
  } finally {
    await close();
  }
}

function emptyScriptToBlank(script: string): string {
  return /^\s*(-- This is an empty migration\.)?\s*$/.test(script) ? "" : script;
}

/**
 * `prisma migrate dev --name <name>`: applies pending migrations, then writes a new migration
 * for whatever schema.prisma changed. Returns the new folder's name, or null when nothing did.
 */
export async function createMigration(url: string, name: string): Promise<string | null> {
  await deployMigrations(url, { lock: false });
  const { engine, close, schemaFiles } = await openEngine(url);
  try {
    const migrationsList = await readMigrationsList();
    // devDiagnostic must run right before evaluateDataLoss / createMigration
    const diagnostic = await engine.devDiagnostic({ migrationsList, filters: FILTERS });
    if (diagnostic.action.tag === "reset")
      throw new MigrationError(`the database drifted from the migrations: ${diagnostic.action.reason ?? ""}`);
    const dataLoss = await engine.evaluateDataLoss({ migrationsList, schema: schemaFiles, filters: FILTERS });
    for (const w of [...dataLoss.warnings, ...dataLoss.unexecutableSteps]) console.warn(`warning: ${w.message}`);
    if (dataLoss.migrationSteps === 0) return null;
    const created = await engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList,
      schema: schemaFiles,
      filters: FILTERS,
    });
    if (created.migrationScript === null) return null;
    const folder = path.join(MIGRATIONS_DIR, created.generatedMigrationName);
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, "migration.sql"), created.migrationScript);
    await fs.writeFile(
      path.join(MIGRATIONS_DIR, "migration_lock.toml"),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${created.connectorType}"\n`,
    );
  } finally {
    await close();
  }
  const list = await readMigrationsList();
  const newest = list.migrationDirectories.at(-1)?.path ?? null;
  await deployMigrations(url, { lock: false });
  return newest;
}
