import pg from "pg";
import { deployMigrations } from "../migrate";
import { buildIfNeeded } from "./build";
import {
  createAdmin,
  percentile,
  queryCount,
  RELEASES,
  REQUESTS,
  seed,
  signIn,
  startServer,
  timeRequest,
  WARMUP,
} from "./bench-kit";
import { createDatabaseOn } from "../test/databases";
import { runMain } from "./run";

// npm run bench:pages — 10,000 releases over 5 applications × 3 environments on PostgreSQL,
// then each page requested 50 times against `next start`: p50 / p95 and SQL statements per
// page. Targets: p95 < 150 ms, at most 10 statements per page whatever the data size.
// Pages need a session: the run signs in as an admin through Auth.js's own endpoints and sends
// the session cookie with every request, so each page's count includes resolving the user.
// BENCH_DATABASE_URL (default: the local server) names the server; a database is created
// for the run and dropped afterwards.

async function main() {
  const base = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  buildIfNeeded();
  const database = await createDatabaseOn(base, "greenlight_bench");
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await deployMigrations(database.url);
    await seed(database.url);
    await createAdmin(database.url);
    server = await startServer(database.url);
    const { origin } = server;
    const cookie = await signIn(origin);
    const ids = await (async () => {
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      const { rows } = await c.query<{ id: string }>(`SELECT id FROM "Release" ORDER BY random() LIMIT $1`, [
        REQUESTS + WARMUP,
      ]);
      await c.end();
      return rows.map((r) => r.id);
    })();
    const pageCount = Math.ceil(RELEASES / 25);
    const pages: { name: string; path: (i: number) => string }[] = [
      { name: "overview /", path: () => "/" },
      { name: "releases list /releases?page=N", path: (i) => `/releases?page=${1 + ((i * 37) % pageCount)}` },
      { name: "release page /releases/[id]", path: (i) => `/releases/${ids[i % ids.length]}` },
      { name: "drift /environments/compare", path: () => "/environments/compare?a=staging&b=production" },
    ];
    console.log(
      `\n${REQUESTS} requests per page after ${WARMUP} warm-up requests, sequential, signed in as an admin, next start on PostgreSQL\n`,
    );
    console.log("page                               p50 ms   p95 ms   max ms   SQL statements/request");
    let failed = false;
    for (const page of pages) {
      for (let i = 0; i < WARMUP; i++) await timeRequest(origin + page.path(REQUESTS + i), cookie);
      const times: number[] = [];
      let maxQueries = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const before = await queryCount(origin);
        times.push(await timeRequest(origin + page.path(i), cookie));
        maxQueries = Math.max(maxQueries, (await queryCount(origin)) - before);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      if (p95 >= 150 || maxQueries > 10) failed = true;
      console.log(
        `${page.name.padEnd(34)} ${percentile(times, 50).toFixed(1).padStart(6)}   ${p95.toFixed(1).padStart(6)}   ${(times.at(-1) ?? 0).toFixed(1).padStart(6)}   ${String(maxQueries).padStart(6)}`,
      );
    }
    console.log(
      failed
        ? "\nTARGET MISSED (p95 < 150 ms, ≤ 10 statements)"
        : "\nall pages within target (p95 < 150 ms, ≤ 10 statements)",
    );
  } finally {
    await server?.stop();
    await database.drop();
  }
}

runMain(main);
