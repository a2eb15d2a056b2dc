import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

// The one Prisma client of a process. The app always speaks the PostgreSQL wire protocol: to a
// PostgreSQL server (DATABASE_URL), or to the embedded PGlite that `npm start` exposes on
// 127.0.0.1 (lib/embedded.ts). The embedded server accepts one connection, so the launcher
// sets DATABASE_POOL_MAX=1 there. Code inside an interactive transaction must therefore use
// only its `tx`: awaiting the global client inside one would wait for the connection it holds.

export type Db = PrismaClient;

type Globals = { __greenlightPool?: pg.Pool; __greenlightDb?: Db; __greenlightQueryCount?: number };
const globals = globalThis as Globals;

export function createPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // PostgreSQL's JIT compiles any statement its planner costs high, which an aggregate over a
    // few thousand rows reaches: the compiling took ~55 ms of a ~110 ms metrics query
    // (EXPLAIN ANALYZE, bench:pages seed). Off per connection; the embedded database has no JIT
    // and ignores the option.
    options: "-c jit=off",
  });
  // an idle client dropped by the server must not crash the process
  pool.on("error", (e) => console.error(`database connection error: ${e.message}`));
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  const counting = env().GREENLIGHT_COUNT_QUERIES === "1";
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    // a transaction waits for a connection rather than fail: on the embedded database every
    // request shares one, and a burst (or a busy machine) can hold it for more than Prisma's 2 s
    transactionOptions: { maxWait: 15_000 },
    log: counting ? [{ emit: "event", level: "query" }] : [],
  });
  if (counting) client.$on("query" as never, () => (globals.__greenlightQueryCount = queryCount() + 1));
  return client;
}

/**
 * SQL statements run by this process, counted only when GREENLIGHT_COUNT_QUERIES=1 (benchmarks).
 * Kept on globalThis: Next.js may bundle this module into several route chunks.
 */
export function queryCount(): number {
  return globals.__greenlightQueryCount ?? 0;
}

function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: start Greenlight with `npm start`, which provides the embedded database");
  return url;
}

export function pool(): pg.Pool {
  return (globals.__greenlightPool ??= createPool(databaseUrl(), env().DATABASE_POOL_MAX));
}

/** The process-wide client, created on first use (never at import, so builds need no database). */
export function db(): Db {
  return (globals.__greenlightDb ??= createDb(pool()));
}

export async function closeDb(): Promise<void> {
  const { __greenlightDb: client, __greenlightPool: p } = globals;
  globals.__greenlightDb = undefined;
  globals.__greenlightPool = undefined;
  await client?.$disconnect();
  await p?.end();
}
