import pg from "pg";
import { deployMigrations } from "../migrate";
import { buildIfNeeded } from "./build";
import {
  ADMIN,
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

// npm run bench:pipeline — the promotion pipeline on PostgreSQL with 10,000 releases:
//   board render (GET / signed in, against `next start`)          target p95 < 150 ms
//   approve and tick (the server actions' lib/data operations)     target p95 <  50 ms
//   promote (gates + row lock + advisory lock + insert + enqueue)  target p95 < 100 ms
// The operations are timed in this process, around the same lib/data call a server action
// makes (validation, matrix check, transaction, audit row), on a pool of 10 like the server's.

interface Row {
  name: string;
  times: number[];
  target: number;
  statements?: number;
}

function report(rows: Row[]): boolean {
  console.log(
    "\nmeasure                                        n    p50 ms   p95 ms   max ms   target (p95)   SQL/request",
  );
  let ok = true;
  for (const row of rows) {
    const t = [...row.times].sort((a, b) => a - b);
    const p95 = percentile(t, 95);
    if (p95 >= row.target) ok = false;
    console.log(
      `${row.name.padEnd(44)} ${String(t.length).padStart(3)}   ${percentile(t, 50).toFixed(1).padStart(6)}   ${p95.toFixed(1).padStart(6)}   ${(t.at(-1) ?? 0).toFixed(1).padStart(6)}   < ${String(row.target).padStart(3)} ms ${p95 < row.target ? "ok" : "MISSED"}   ${row.statements ?? ""}`,
    );
  }
  return ok;
}

/** A staging checklist (5 required items) and the pairs the operations act on. */
async function prepare(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`
      WITH t AS (INSERT INTO "ChecklistTemplate" (id, "environmentId", name, "updatedAt")
        SELECT gen_random_uuid(), id, 'Testing in Staging', now() FROM "Environment" WHERE key = 'staging' RETURNING id)
      INSERT INTO "ChecklistTemplateItem" (id, "templateId", position, label, required)
      SELECT gen_random_uuid(), t.id, n, 'Check ' || n, true FROM t, generate_series(0, 4) n`);
    const pick = async (sql: string) => (await c.query<{ id: string }>(sql, [REQUESTS + WARMUP])).rows.map((r) => r.id);
    // in staging, not in production: waiting for a production approval
    const approvable = await pick(`
      SELECT r.id FROM "Release" r
      WHERE EXISTS (SELECT 1 FROM "Deployment" d JOIN "Environment" e ON e.id = d."environmentId"
                    WHERE d."releaseId" = r.id AND e.key = 'staging' AND d.status = 'succeeded')
        AND NOT EXISTS (SELECT 1 FROM "Deployment" d JOIN "Environment" e ON e.id = d."environmentId"
                    WHERE d."releaseId" = r.id AND e.key = 'production')
      ORDER BY random() LIMIT $1`);
    // in development only: the staging candidates, whose checklist QA works through
    const tickable = await pick(`
      SELECT r.id FROM "Release" r
      WHERE NOT EXISTS (SELECT 1 FROM "Deployment" d JOIN "Environment" e ON e.id = d."environmentId"
                        WHERE d."releaseId" = r.id AND e.key <> 'development')
      ORDER BY random() LIMIT $1`);
    const items = (await c.query<{ id: string }>(`SELECT id FROM "ChecklistTemplateItem" ORDER BY position`)).rows;
    const admin = (await c.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [ADMIN.email])).rows[0]!;
    return { approvable, tickable, items: items.map((i) => i.id), adminId: admin.id };
  } finally {
    await c.end();
  }
}

async function timed<T>(times: number[], run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  times.push(performance.now() - started);
  return result;
}

async function main() {
  const base = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  buildIfNeeded();
  const database = await createDatabaseOn(base, "greenlight_bench_pipeline");
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await deployMigrations(database.url);
    await seed(database.url);
    await createAdmin(database.url);
    const { approvable, tickable, items, adminId } = await prepare(database.url);

    // lib/data in this process, on the benchmark's database
    process.env.DATABASE_URL = database.url;
    process.env.DATABASE_POOL_MAX = "10";
    const { loadUserActor } = await import("../data/actors/load");
    const { decideApproval } = await import("../data/promotion/approvals");
    const { tickChecklistItem } = await import("../data/promotion/tick");
    const { promoteRelease } = await import("../data/promotion/promote");
    const { closeDb } = await import("../db");
    const { stopWorkerBoss: stopQueue } = await import("../jobs/boss");
    const actor = (await loadUserActor(adminId))!;

    const approve: number[] = [];
    const tick: number[] = [];
    const promote: number[] = [];
    for (let i = 0; i < approvable.length; i++) {
      const releaseId = approvable[i]!;
      const target = { releaseId, environmentKey: "production" };
      await timed(i < WARMUP ? [] : approve, () => decideApproval(actor, { ...target, decision: "approved" }));
      await timed(i < WARMUP ? [] : promote, () => promoteRelease(actor, target));
      // the deploy itself is not measured: finish it as a worker would, so the next promotion
      // of the same application is not refused as "busy"
      await pgExec(
        database.url,
        `UPDATE "Deployment" SET status = 'succeeded', "finishedAt" = now() WHERE status = 'queued'`,
      );
    }
    for (let i = 0; i < tickable.length; i++) {
      // the first tick of a release also copies its checklist; later ticks do not: both are timed
      for (const itemId of items.slice(0, 2))
        await timed(i < WARMUP ? [] : tick, () =>
          tickChecklistItem(actor, { releaseId: tickable[i]!, environmentKey: "staging", itemId, checked: true }),
        );
    }
    await stopQueue();
    await closeDb();

    server = await startServer(database.url);
    const cookie = await signIn(server.origin);
    const board: number[] = [];
    const release: number[] = [];
    let boardStatements = 0;
    let releaseStatements = 0;
    for (let i = 0; i < WARMUP; i++) await timeRequest(`${server.origin}/`, cookie);
    for (let i = 0; i < REQUESTS; i++) {
      const before = await queryCount(server.origin);
      board.push(await timeRequest(`${server.origin}/`, cookie));
      boardStatements = Math.max(boardStatements, (await queryCount(server.origin)) - before);
    }
    for (let i = 0; i < REQUESTS; i++) {
      const before = await queryCount(server.origin);
      release.push(await timeRequest(`${server.origin}/releases/${tickable[i % tickable.length]!}`, cookie));
      releaseStatements = Math.max(releaseStatements, (await queryCount(server.origin)) - before);
    }

    console.log(`\n${RELEASES} releases on PostgreSQL; ${REQUESTS} measured runs each after ${WARMUP} warm-up runs`);
    const ok = report([
      { name: "board render GET / (with gate summaries)", times: board, target: 150, statements: boardStatements },
      { name: "release page GET /releases/[id] (gates)", times: release, target: 150, statements: releaseStatements },
      { name: "approve (approval.decide)", times: approve, target: 50 },
      { name: "tick (checklist.item.tick)", times: tick, target: 50 },
      { name: "promote (gates + locks + deployment + enqueue)", times: promote, target: 100 },
    ]);
    console.log(ok ? "\nall within target" : "\nTARGET MISSED");
  } finally {
    await server?.stop();
    await database.drop();
  }
}

async function pgExec(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

runMain(main);
