import { fork, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createDatabaseOn } from "../test/databases";

// npm run bench:flags — the flag evaluation service under load: 100 flags × 4 environments on
// PostgreSQL, 50 connections for 20 s per scenario, the load tool (autocannon) in this process and
// each server in a process of its own, all on this machine. Targets (2-core machine):
//   GET /api/v1/flags with a valid SDK key       ≥ 10,000 req/s, ≥ 50 % of a bare node:http server
//                                                 sending the same bytes, p99 < 10 ms
//   the same with If-None-Match (304)           at least as fast as the 200
//   OFREP bulk evaluation (POST, a context)      ≥ 5,000 req/s
// BENCH_FLAGS_SECONDS and BENCH_FLAGS_CONNECTIONS change the load (for a quick look).

const SECONDS = Number(process.env.BENCH_FLAGS_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_FLAGS_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 3;
const FLAGS = 100;
const ENVIRONMENTS = ["development", "staging", "qa", "production"];
const ENVIRONMENT = "production";
const COMPILED = path.join(import.meta.dirname, "compiled.mjs");
const CHILD_EXEC_ARGV = process.execArgv.filter((a) => a.startsWith("--conditions"));

/** 100 flags × 4 environments: most on or off, a fifth on for a share of users, a tenth targeted. */
async function seed(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const keys: Record<string, string> = {};
  try {
    await c.query("BEGIN");
    for (const [position, key] of ENVIRONMENTS.entries())
      await c.query(
        `INSERT INTO "Environment" (id, key, name, position, "updatedAt") VALUES (gen_random_uuid(), $1, initcap($1), $2, now())`,
        [key, position],
      );
    await c.query(
      `INSERT INTO "FeatureFlag" (id, key, name, category)
       SELECT gen_random_uuid(), 'flag-' || lpad(n::text, 3, '0'), 'Flag ' || n,
              (ARRAY['commerce','discovery','content','ui','experimental'])[1 + n % 5]
       FROM generate_series(1, $1::int) AS n`,
      [FLAGS],
    );
    await c.query(`
      INSERT INTO "FlagState" (id, "flagId", "environmentId", enabled, "rolloutPercent", rules, "updatedAt")
      SELECT gen_random_uuid(), f.id, e.id,
             (hashtext(f.key || e.key) % 3) <> 0,
             CASE WHEN hashtext(f.key) % 5 = 0 THEN 25 ELSE NULL END,
             CASE WHEN hashtext(f.key) % 10 = 1
                  THEN '[{"attribute":"country","operator":"in","values":["FR","DE"]}]'::jsonb
                  ELSE '[]'::jsonb END,
             now()
      FROM "FeatureFlag" f, "Environment" e`);
    for (const environment of ENVIRONMENTS) {
      const key = `glsdk_${randomBytes(24).toString("base64url")}`;
      keys[environment] = key;
      await c.query(
        `INSERT INTO "SdkKey" (id, "environmentId", name, prefix, "keyHash")
         SELECT gen_random_uuid(), id, 'bench', $2, $3 FROM "Environment" WHERE key = $1`,
        [environment, key.slice(0, 12), createHash("sha256").update(key).digest("hex")],
      );
    }
    await c.query("COMMIT");
  } finally {
    await c.end();
  }
  return keys;
}

function migrate(url: string): Promise<void> {
  const child = fork(COMPILED, [path.join(import.meta.dirname, "db.ts"), "deploy"], {
    execArgv: CHILD_EXEC_ARGV,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`db:deploy exited with ${code}`)))),
  );
}

async function startServer(mode: "greenlight" | "bare", url: string): Promise<{ base: string; child: ChildProcess }> {
  const child = fork(COMPILED, [path.join(import.meta.dirname, "bench-flags-server.ts"), mode], {
    execArgv: CHILD_EXEC_ARGV,
    env: { ...process.env, DATABASE_URL: url, BENCH_FLAGS_ENVIRONMENT: ENVIRONMENT },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the ${mode} server exited (${code})`)));
    child.once("message", (m: { port: number }) => resolve(m.port));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
}

async function load(
  name: string,
  url: string,
  options: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string; expect: number },
): Promise<Measured> {
  const request = {
    url,
    connections: CONNECTIONS,
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
  };
  // warm-up, not measured: the server's and the load tool's code gets compiled by V8's JIT first
  await autocannon({ ...request, duration: WARMUP_SECONDS });
  const result = await autocannon({ ...request, duration: SECONDS });

  const statuses = result.statusCodeStats as unknown as Record<string, { count: number } | undefined>;
  const ok = statuses[String(options.expect)]?.count ?? 0;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: result.requests.total - ok + result.errors + result.timeouts,
  };
}

async function main() {
  const base =
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabaseOn(base, "greenlight_bench_flags");
  const servers: ChildProcess[] = [];
  try {
    await migrate(database.url);
    const keys = await seed(database.url);
    const auth = { authorization: `Bearer ${keys[ENVIRONMENT]}` };
    const flagsPath = `/api/v1/flags?environment=${ENVIRONMENT}`;
    console.log(
      `${FLAGS} flags × ${ENVIRONMENTS.length} environments; ${CONNECTIONS} connections for ${SECONDS} s per run; ` +
        `autocannon in this process, each server in its own\n`,
    );

    const bare = await startServer("bare", database.url);
    servers.push(bare.child);
    const bareRun = await load("bare node:http, the same bytes", `${bare.base}${flagsPath}`, { expect: 200 });
    await stopServer(bare.child);

    const greenlight = await startServer("greenlight", database.url);
    servers.push(greenlight.child);
    const first = await fetch(`${greenlight.base}${flagsPath}`, { headers: auth });
    const etag = first.headers.get("etag") ?? "";
    if (first.status !== 200 || !etag) throw new Error(`GET ${flagsPath} answered ${first.status}`);
    const bareBody = await (await fetch(`${greenlight.base}${flagsPath}`, { headers: auth })).text();
    const getRun = await load("GET /api/v1/flags (200)", `${greenlight.base}${flagsPath}`, {
      headers: auth,
      expect: 200,
    });
    const notModified = await load("GET /api/v1/flags, If-None-Match (304)", `${greenlight.base}${flagsPath}`, {
      headers: { ...auth, "if-none-match": etag },
      expect: 304,
    });
    const bulk = await load("POST /ofrep/v1/evaluate/flags (bulk)", `${greenlight.base}/ofrep/v1/evaluate/flags`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ context: { targetingKey: "user-1234", country: "FR", plan: "pro" } }),
      expect: 200,
    });
    await stopServer(greenlight.child);

    const ratio = getRun.rps / bareRun.rps;
    const checks = [
      { run: bareRun, target: "(the ceiling)", ok: true },
      {
        run: getRun,
        target: "≥ 10,000 req/s, ≥ 50 % of bare, p99 < 10 ms",
        ok: getRun.rps >= 10_000 && ratio >= 0.5 && getRun.p99 < 10,
      },
      { run: notModified, target: "≥ the 200 path", ok: notModified.rps >= getRun.rps * 0.97 },
      { run: bulk, target: "≥ 5,000 req/s", ok: bulk.rps >= 5_000 },
    ];
    console.log(
      `${"run".padEnd(42)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"answers".padStart(9)} ${"other".padStart(6)}   target`,
    );
    for (const { run, target, ok } of checks)
      console.log(
        `${run.name.padEnd(42)} ${run.rps.toFixed(0).padStart(8)} ${run.p50.toFixed(1).padStart(7)} ${run.p99.toFixed(1).padStart(7)} ` +
          `${String(run.ok).padStart(9)} ${String(run.other).padStart(6)}   ${target} ${ok ? "ok" : "MISSED"}`,
      );
    console.log(
      `\nGreenlight's GET is ${(ratio * 100).toFixed(0)} % of the bare server (${bareBody.length} bytes a response)`,
    );
    // every answer must be the expected one: a 401 or 500 is fast and would flatter the numbers
    const wrong = checks.reduce((n, c) => n + c.run.other, 0);
    if (wrong) console.log(`${wrong} answers were not the expected status (or failed)`);
    const allOk = checks.every((c) => c.ok) && wrong === 0;
    console.log(allOk ? "\nall within target" : "\nTARGET MISSED");
    if (!allOk) process.exitCode = 1;
  } finally {
    for (const child of servers) await stopServer(child);
    await database.drop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
