/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   The wasm schema engine and the adapter internals patched here ship without usable types. */
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

// Prisma's schema engine, compiled to WebAssembly, driven through a driver adapter: the same
// engine `prisma migrate` runs, without the native binary that cannot be downloaded here.

const require = createRequire(import.meta.url);
export const ROOT = process.cwd();
export const SCHEMA_PATH = path.join(ROOT, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(ROOT, "prisma/migrations");
export const FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };

// The engine reports Rust panics through this global; without it a panic only surfaces as
// "Cannot read properties of undefined (reading 'set_message')".
(globalThis as any).PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message: string) {
    console.error(`schema engine panic: ${message}`);
  },
};

// Instantiate once per process: the generated bindings cache views of the wasm memory, and a
// second instance behind the same bindings makes them read the first one's memory.
let engineClass: Promise<any> | undefined;
function loadEngineClass(): Promise<any> {
  return (engineClass ??= instantiateEngine());
}

async function instantiateEngine(): Promise<any> {
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg: any = await import(bgPath);
  const wasm = await fs.readFile(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as any).__wbindgen_start();
  return bg.SchemaEngine;
}

// adapter-pg cannot decode PostgreSQL's internal "char" type (OID 18), which the engine's
// catalog queries return, and the engine expects such columns typed as Character (6).
const CHAR_OID = 18;
const TEXT_OID = 25;
const COLUMN_TYPE_CHARACTER = 6;
async function patchAdapter(factory: PrismaPg): Promise<void> {
  const adapter: any = await factory.connect(); // the pool is lazy: no connection is opened
  const adapterProto = Object.getPrototypeOf(adapter);
  let proto = adapterProto;
  while (proto && !Object.hasOwn(proto, "queryRaw")) proto = Object.getPrototypeOf(proto);
  await adapter.dispose();
  if (!proto || proto.__greenlightCharPatch) return;
  proto.__greenlightCharPatch = true;
  const { performIO, queryRaw } = proto;
  // adapter-pg splits a migration script at every ";", which breaks function bodies (the audit
  // trail's append-only trigger); PostgreSQL's simple query protocol runs the whole script, in
  // one implicit transaction, as psql would
  adapterProto.executeScript = async function (
    this: { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never },
    script: string,
  ) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  proto.performIO = async function (...args: unknown[]) {
    const result = await performIO.apply(this, args);
    const charColumns: number[] = [];
    result.fields?.forEach((f: any, i: number) => f.dataTypeID === CHAR_OID && charColumns.push(i));
    if (charColumns.length) {
      result.fields = result.fields.map((f: any) => (f.dataTypeID === CHAR_OID ? { ...f, dataTypeID: TEXT_OID } : f));
      Object.defineProperty(result.rows, "__charColumns", { value: charColumns });
    }
    return result;
  };
  proto.queryRaw = async function (...args: unknown[]) {
    const result = await queryRaw.apply(this, args);
    for (const i of result.rows.__charColumns ?? []) result.columnTypes[i] = COLUMN_TYPE_CHARACTER;
    return result;
  };
}

export function pgConfigFromUrl(url: string) {
  // discrete settings, not a connectionString: a connectionString would silently win over the
  // shadow database's { database } override
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || "postgres",
  };
}

export type MigrationsList = Awaited<ReturnType<typeof readMigrationsList>>;

export async function readMigrationsList(dir = MIGRATIONS_DIR) {
  const lockContent = await fs.readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await fs.readFile(path.join(dir, entry.name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (err: Error) => ({ tag: "error" as const, value: err.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

export type ShadowKind = "pglite" | "create-database";

type SchemaFiles = { files: { path: string; content: string }[] };
type Filters = typeof FILTERS;

/** The part of the wasm SchemaEngine's API that Greenlight uses (its own .d.ts is not exported). */
export interface SchemaEngineApi {
  applyMigrations(p: {
    migrationsList: MigrationsList;
    filters: Filters;
  }): Promise<{ appliedMigrationNames: string[] }>;
  devDiagnostic(p: {
    migrationsList: MigrationsList;
    filters: Filters;
  }): Promise<{ action: { tag: string; reason?: string } }>;
  evaluateDataLoss(p: { migrationsList: MigrationsList; schema: SchemaFiles; filters: Filters }): Promise<{
    migrationSteps: number;
    warnings: { message: string }[];
    unexecutableSteps: { message: string }[];
  }>;
  createMigration(p: {
    draft: boolean;
    migrationName: string;
    migrationsList: MigrationsList;
    schema: SchemaFiles;
    filters: Filters;
  }): Promise<{ generatedMigrationName: string; migrationScript: string | null; connectorType: string }>;
  diff(p: {
    from: unknown;
    to: unknown;
    script: boolean;
    exitCode: boolean | null;
    filters: Filters;
  }): Promise<{ stdout?: string | null }>;
  free?(): void;
}

export interface Engine {
  engine: SchemaEngineApi;
  schemaFiles: SchemaFiles;
  close: () => Promise<void>;
}

/**
 * Opens the engine against `url`. The shadow database (needed to create migrations and diff
 * them) is a throwaway in-memory PGlite by default: it needs no CREATEDB right and is the only
 * choice when the main database is the single-connection embedded server.
 */
export async function openEngine(url: string, shadow: ShadowKind = "pglite"): Promise<Engine> {
  const SchemaEngine = await loadEngineClass();
  const schema = await fs.readFile(SCHEMA_PATH, "utf8");
  const config = pgConfigFromUrl(url);
  const factory = new PrismaPg(config);
  await patchAdapter(factory);

  const opened: { dispose(): Promise<void> }[] = [];
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };
  // adapter-pg's own shadow hook drops the database before closing its pool, which PostgreSQL
  // refuses ("being accessed by other users"): close first, then drop.
  factory.connectToShadowDb = async () => {
    if (shadow === "pglite") {
      const { PGlite } = await import("@electric-sql/pglite");
      const { PrismaPGlite } = await import("pglite-prisma-adapter");
      const memory = await PGlite.create();
      const adapter: any = await new PrismaPGlite(memory).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await memory.close();
      };
      return adapter;
    }
    const admin = await new PrismaPg(config).connect();
    const name = `greenlight_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const adapter = await new PrismaPg({ ...config, database: name }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.dispose();
    };
    return adapter;
  };

  const log = (line: string) => {
    if (process.env.DEBUG_SCHEMA_ENGINE) console.error(`[schema-engine] ${line}`);
  };
  const engine: SchemaEngineApi = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    schemaFiles: { files: [{ path: SCHEMA_PATH, content: schema }] },
    async close() {
      engine.free?.();
      await Promise.allSettled(opened.map((a) => a.dispose()));
    },
  };
}
