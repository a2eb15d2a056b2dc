import pg from "pg";
import { deployMigrations } from "../migrate";
import { buildIfNeeded } from "./build";
import {
  createAdmin,
  percentile,
  queryCount,
  PROMOTION_SPAN,
  RELEASES,
  REQUESTS,
  seedHistory,
  signIn,
  startServer,
  timeRequest,
  WARMUP,
} from "./bench-kit";
import { createDatabaseOn } from "../test/databases";
import { runMain } from "./run";

// npm run bench:pages — 10,000 releases and about 50,000 deployments over two years, 5
// applications × 3 environments on PostgreSQL (bench-kit.ts seedHistory), then each page
// requested 50 times against `next start`: p50 / p95 and SQL statements per page. Targets: p95 <
// 150 ms, at most 10 statements per page whatever the data size. Besides the overview, the
// releases list and a random release: the metrics page over 90 days and over two years, the
// comparison of staging and production, and the release whose promotion to production spans
// PROMOTION_SPAN releases.
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
    await seedHistory(database.url);
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
      const newest = await c.query<{ id: string }>(
        `SELECT r.id FROM "Release" r JOIN "Application" a ON a.id = r."applicationId"
         WHERE a.key = 'storefront' ORDER BY r."createdAt" DESC LIMIT 1`,
      );
      await c.end();
      return { random: rows.map((r) => r.id), spanning: newest.rows[0]!.id };
    })();
    const pageCount = Math.ceil(RELEASES / 25);
    const today = new Date().toISOString().slice(0, 10);
    const twoYearsAgo = new Date(Date.now() - 729 * 86_400_000).toISOString().slice(0, 10);
    const pages: { name: string; path: (i: number) => string }[] = [
      { name: "overview /", path: () => "/" },
      { name: "releases list /releases?page=N", path: (i) => `/releases?page=${1 + ((i * 37) % pageCount)}` },
      { name: "release page /releases/[id]", path: (i) => `/releases/${ids.random[i % ids.random.length]}` },
      { name: `release, promotion of ${PROMOTION_SPAN} releases`, path: () => `/releases/${ids.spanning}` },
      { name: "metrics /metrics (90 days)", path: () => "/metrics" },
      { name: "metrics, two years", path: () => `/metrics?from=${twoYearsAgo}&to=${today}` },
      { name: "compare staging · production", path: () => "/environments/compare?a=staging&b=production" },
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
