import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { Db } from "../db";
import { createDatabaseOn } from "../test/databases";
import { percentile } from "./bench-kit";
import type { Arrival, ReceiverMessage } from "./bench-rollouts-receiver";

// npm run bench:rollouts — 50 canaries at once, each a different application, through the real
// deploy worker (pg-boss queues, the rollout engine's fast path) to a webhook receiver over real
// HTTP that verifies every Standard Webhooks signature and finishes each step in its reply:
//   every rollout (deploy, 5 → 50 → 100 %, no pauses) succeeds
//   each step's dispatch latency: the step due (the previous move recorded) → the receiver has it  p95 < 200 ms
//     (the traffic steps; the deploy that starts a rollout is shown too, from the promotion's commit,
//     but it waits for a free worker slot and pg-boss's poll of at least 0.5 s, so it is not gated)
//   one-click rollback: the operation called → the receiver has the rollback event               p95 < 5 s
//   the RSS of this process (the worker, the operations) stays                                     < 300 MB
// Greenlight runs in this process, on a pool of 10 like the server's, compiled as `npm run worker` runs
// (lib/cli/compiled.mjs: no TypeScript loader thread); the receiver is a child process.

const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 50);
const STEPS = [5, 50, 100].map((percent) => ({ percent, pauseSeconds: 0 }));
const SECRET_VAR = "BENCH_ROLLOUTS_WEBHOOK_SECRET";
const ENVIRONMENT = "production";
const DONE_WITHIN_MS = 120_000;
// children run compiled like this process (npm run bench:rollouts), with its --conditions but V8's
// defaults: the receiver stands for a deploy provider, not for Greenlight
const COMPILED = path.join(import.meta.dirname, "compiled.mjs");
const CHILD_EXEC_ARGV = process.execArgv.filter((a) => a.startsWith("--conditions"));

interface Row {
  name: string;
  times: number[];
  /** p95 must stay under this (ms) */
  target?: number;
}

const ms = (v: number) => v.toFixed(1).padStart(8);

function report(rows: Row[]): boolean {
  console.log(`\n${"measure".padEnd(52)}   n     p50 ms     p95 ms     max ms   target (p95)`);
  let ok = true;
  for (const row of rows) {
    const t = [...row.times].sort((a, b) => a - b);
    const p95 = percentile(t, 95);
    const verdict = row.target === undefined ? "" : p95 < row.target ? "ok" : "MISSED";
    if (verdict === "MISSED" || (row.target !== undefined && t.length === 0)) ok = false;
    const target = row.target === undefined ? "(info)" : `< ${row.target} ms ${verdict}`;
    console.log(
      `${row.name.padEnd(52)} ${String(t.length).padStart(3)}   ${ms(percentile(t, 50))}   ${ms(p95)}   ${ms(t.at(-1) ?? NaN)}   ${target}`,
    );
  }
  return ok;
}

/** The receiver as a child process; resolves with its URL once it listens. */
function startReceiver(onArrival: (a: Arrival) => void, onRefused: (reason: string) => void) {
  const child: ChildProcess = fork(COMPILED, [path.join(import.meta.dirname, "bench-rollouts-receiver.ts")], {
    execArgv: CHILD_EXEC_ARGV,
    env: { ...process.env, BENCH_RECEIVER_SECRET_VAR: SECRET_VAR },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the bench receiver exited (${code}) before listening`)));
    child.on("message", (m: ReceiverMessage) => {
      if (m.type === "ready") resolve(m.url);
      else if (m.type === "arrival") onArrival(m.arrival);
      else onRefused(m.reason);
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * One canary environment; per application a webhook target (the secret named, never stored),
 * release 1.0.0 running on blue and 1.1.0 to promote. In SQL, like bench-pipeline's seed: the
 * set-up is not what this process is measured on.
 */
async function prepare(url: string, receiverUrl: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "Environment" (id, key, name, position, "rolloutStrategy", "rolloutSteps", "updatedAt")
       VALUES (gen_random_uuid(), $1, 'Production', 0, 'canary', $2::jsonb, now()) RETURNING id`,
      [ENVIRONMENT, JSON.stringify(STEPS)],
    );
    const environmentId = rows[0]!.id;
    const apps = await c.query<{ id: string; key: string; next: string }>(
      `WITH a AS (
         INSERT INTO "Application" (id, key, name)
         SELECT gen_random_uuid(), 'app-' || lpad(n::text, 2, '0'), 'App ' || n FROM generate_series(1, $1::int) n
         RETURNING id, key),
       t AS (
         INSERT INTO "DeployTarget" (id, "applicationId", "environmentId", provider, config, "secretEnvVar", "timeoutSeconds", "updatedAt")
         SELECT gen_random_uuid(), a.id, $2::uuid, 'webhook', jsonb_build_object('url', $3::text), $4, 60, now() FROM a),
       r AS (
         INSERT INTO "Release" (id, "applicationId", version, "commitSha", title)
         SELECT gen_random_uuid(), a.id, v, md5(a.key || v) || substr(md5(v || a.key), 1, 8), v
         FROM a, unnest(ARRAY['1.0.0', '1.1.0']) v
         RETURNING id, "applicationId", version),
       d AS (
         INSERT INTO "Deployment" (id, "releaseId", "applicationId", "environmentId", status, strategy, plan, phase,
           "currentStep", "trafficPercent", "activeColor", "queuedAt", "startedAt", "finishedAt")
         SELECT gen_random_uuid(), r.id, r."applicationId", $2::uuid, 'succeeded', 'canary', $5::jsonb, 'done',
           $6::int, 100, 'blue', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour'
         FROM r WHERE r.version = '1.0.0')
       SELECT a.id, a.key, r.id AS next FROM a JOIN r ON r."applicationId" = a.id AND r.version = '1.1.0' ORDER BY a.key`,
      [APPLICATIONS, environmentId, receiverUrl, SECRET_VAR, JSON.stringify(STEPS), STEPS.length - 1],
    );
    await c.query("COMMIT");
    return { environmentId, apps: apps.rows };
  } finally {
    await c.end();
  }
}

/**
 * deployMigrations (npm run db:deploy) in a child process, as `npm start` does before it starts
 * the server: the wasm schema engine it loads is never part of the app's memory.
 */
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

/** Peak RSS (and V8 heap in use, for telling garbage from what is held) every 50 ms until stop(). */
function rssSampler() {
  const peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 50);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function main() {
  const base =
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabaseOn(base, "greenlight_bench_rollouts");
  // the signing secret lives in this process's environment only: the target stores its name
  process.env[SECRET_VAR] = `whsec_${randomBytes(32).toString("base64")}`;
  const arrivals: Arrival[] = [];
  const refused: string[] = [];
  const receiver = startReceiver(
    (a) => arrivals.push(a),
    (r) => refused.push(r),
  );
  let stopWorker: (() => Promise<void>) | undefined;
  try {
    await migrate(database.url);
    const receiverUrl = await receiver.url;

    process.env.DATABASE_URL = database.url;
    process.env.DATABASE_POOL_MAX = "10";
    // statements through Prisma, per rollout (pg-boss's own polling is not counted)
    process.env.GREENLIGHT_COUNT_QUERIES = "1";
    const { db, closeDb, queryCount } = await import("../db");
    const { actorWith } = await import("../test/actors");
    const { promoteRelease } = await import("../data/promotion/promote");
    const { rollbackEnvironment } = await import("../data/deployments/control");
    const { startDeployWorker, stopDeployWorker } = await import("../jobs/deploy-worker");
    const { stopWorkerBoss } = await import("../jobs/boss");
    stopWorker = async () => {
      await stopDeployWorker({ graceSeconds: 5 });
      await stopWorkerBoss();
      await closeDb();
    };

    const { environmentId, apps } = await prepare(database.url, receiverUrl);
    const operator = await actorWith(["environment.view", "deploy.trigger", "deploy.rollback"], [environmentId]);

    const rssBefore = process.memoryUsage().rss;
    const rss = rssSampler();
    await startDeployWorker();

    // 1. fifty promotions at once; the worker drives each rollout
    const promotedAt = new Map<string, number>();
    const promoteTimes: number[] = [];
    const started = Date.now();
    const statementsBefore = queryCount();
    const promotions = await Promise.all(
      apps.map(async (app) => {
        const t = performance.now();
        const { deploymentId } = await promoteRelease(operator, { releaseId: app.next, environmentKey: ENVIRONMENT });
        promoteTimes.push(performance.now() - t);
        // committed: its deploy job is due from now
        promotedAt.set(deploymentId, Date.now());
        return deploymentId;
      }),
    );
    const settled = await settle(db, promotions);
    const promoteStatements = queryCount() - statementsBefore;
    const wallMs = Math.max(...settled.map((d) => d.finishedAt?.getTime() ?? NaN)) - started;
    const succeeded = settled.filter((d) => d.status === "SUCCEEDED").length;
    // where a deploy's wait goes: before the worker claims it, and the claimed rollout's run
    const promoteClaim = settled.flatMap((d) =>
      d.startedAt && promotedAt.has(d.id) ? [d.startedAt.getTime() - promotedAt.get(d.id)!] : [],
    );
    const promoteRun = settled.flatMap((d) =>
      d.startedAt && d.finishedAt ? [d.finishedAt.getTime() - d.startedAt.getTime()] : [],
    );

    // 2. each step: due when the move before it was recorded (the previous step's finishedAt)
    const steps = await db().deploymentStep.findMany({
      where: { deploymentId: { in: promotions } },
      orderBy: [{ deploymentId: "asc" }, { index: "asc" }],
    });
    const arrived = (deploymentId: string, action: string, index: number) =>
      arrivals.find((a) => a.deploymentId === deploymentId && a.action === action && a.index === index)?.at;
    const trafficDispatch: number[] = [];
    const trafficClaim: number[] = [];
    const deployDispatch: number[] = [];
    for (const deploymentId of promotions) {
      const own = steps.filter((s) => s.deploymentId === deploymentId);
      const deployAt = arrived(deploymentId, "deploy", -1);
      const queued = promotedAt.get(deploymentId);
      if (deployAt !== undefined && queued !== undefined) deployDispatch.push(deployAt - queued);
      for (let i = 0; i < STEPS.length; i++) {
        const before = own.find((s) => (i === 0 ? s.action === "deploy" : s.action === "traffic" && s.index === i - 1));
        const step = own.find((s) => s.action === "traffic" && s.index === i);
        const at = arrived(deploymentId, "traffic", i);
        if (!before?.finishedAt || !step || at === undefined) continue;
        trafficDispatch.push(at - before.finishedAt.getTime());
        trafficClaim.push(step.startedAt.getTime() - before.finishedAt.getTime());
      }
    }

    // 3. fifty one-click rollbacks at once, each by a person holding deploy.rollback (where the
    // new release runs: a failed promotion leaves nothing to roll back)
    const clickedAt = new Map<string, number>();
    const rollbackStatementsBefore = queryCount();
    const live = new Set(settled.filter((d) => d.status === "SUCCEEDED").map((d) => d.id));
    const rollbacks = await Promise.all(
      apps
        .filter((_, i) => live.has(promotions[i]!))
        .map(async (app) => {
          const clicked = Date.now();
          const { deploymentId } = await rollbackEnvironment(operator, {
            environmentKey: ENVIRONMENT,
            application: app.key,
            reason: "benchmark: roll back to the previous release",
          });
          clickedAt.set(deploymentId, clicked);
          return deploymentId;
        }),
    );
    const rolledBack = await settle(db, rollbacks);
    const rollbackStatements = queryCount() - rollbackStatementsBefore;
    const rollbackDispatch: number[] = [];
    for (const deploymentId of rollbacks) {
      const at = arrivals.find((a) => a.deploymentId === deploymentId && a.action === "rollback")?.at;
      const clicked = clickedAt.get(deploymentId);
      if (at !== undefined && clicked !== undefined) rollbackDispatch.push(at - clicked);
    }
    const rollbacksSucceeded = rolledBack.filter((d) => d.status === "SUCCEEDED").length;
    const rollbackClaim = rolledBack.flatMap((d) =>
      d.startedAt && clickedAt.has(d.id) ? [d.startedAt.getTime() - clickedAt.get(d.id)!] : [],
    );
    const rollbackRun = rolledBack.flatMap((d) =>
      d.startedAt && d.finishedAt ? [d.finishedAt.getTime() - d.startedAt.getTime()] : [],
    );
    const peak = rss.stop();
    const peakMb = peak.rss / 1024 / 1024;

    console.log(
      `\n${APPLICATIONS} canaries (deploy, ${STEPS.map((s) => `${s.percent} %`).join(" → ")}, no pauses) over webhooks to a receiver verifying every signature`,
    );
    console.log(
      `promotions: ${succeeded} of ${APPLICATIONS} succeeded, all done in ${(wallMs / 1000).toFixed(2)} s (first promote call → last finishedAt)`,
    );
    console.log(`rollbacks:  ${rollbacksSucceeded} of ${APPLICATIONS} succeeded`);
    console.log(`receiver:   ${arrivals.length} events verified, ${refused.length} refused`);
    // the settle loop's own reads are in these counts: a few per 100 ms
    console.log(
      `SQL through Prisma: ${(promoteStatements / APPLICATIONS).toFixed(0)} statements per promotion and its rollout, ` +
        `${(rollbackStatements / Math.max(1, rollbacks.length)).toFixed(0)} per rollback (with the wait loop's reads)`,
    );
    const ok = report([
      { name: "traffic step: move due → receiver has it", times: trafficDispatch, target: 200 },
      // not a traffic step: the queued deploy waits for a free worker slot and the queue's poll
      { name: "deploy step: promotion committed → receiver has it", times: deployDispatch },
      { name: "rollback: operation called → receiver has it", times: rollbackDispatch, target: 5000 },
      { name: "traffic step: move due → step claimed (DB)", times: trafficClaim },
      { name: "promote operation (all at once)", times: promoteTimes },
      { name: "promotion committed → worker claimed it", times: promoteClaim },
      { name: "rollout run: claimed → succeeded", times: promoteRun },
      { name: "rollback: operation called → worker claimed it", times: rollbackClaim },
      { name: "rollback run: claimed → succeeded", times: rollbackRun },
    ]);
    const rssOk = peakMb < 300;
    console.log(
      `${"peak RSS of this process".padEnd(52)} ${peakMb.toFixed(0).padStart(38)} MB   < 300 MB ${rssOk ? "ok" : "MISSED"}` +
        `   (${(rssBefore / 1024 / 1024).toFixed(0)} MB before the worker started; V8 heap in use peaked at ${(peak.heapUsed / 1024 / 1024).toFixed(0)} MB)`,
    );
    const allOk =
      ok &&
      rssOk &&
      succeeded === APPLICATIONS &&
      rollbacksSucceeded === APPLICATIONS &&
      refused.length === 0 &&
      trafficDispatch.length === APPLICATIONS * STEPS.length;
    console.log(allOk ? "\nall within target" : "\nTARGET MISSED");
    if (!allOk) process.exitCode = 1;
  } finally {
    await stopWorker?.();
    await receiver.stop();
    await database.drop();
  }
}

/** Waits until none of the deployments is queued or moving any more; returns how they ended. */
async function settle(db: () => Db, ids: string[]) {
  const deadline = Date.now() + DONE_WITHIN_MS;
  for (;;) {
    const rows = await db().deployment.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, startedAt: true, finishedAt: true, failureReason: true },
    });
    const open = rows.filter((r) => ["QUEUED", "RUNNING", "PAUSED", "ROLLING_BACK"].includes(r.status));
    if (open.length === 0) {
      for (const r of rows.filter((r) => r.status !== "SUCCEEDED"))
        console.error(`deployment ${r.id} ended ${r.status}: ${r.failureReason ?? "no reason"}`);
      return rows;
    }
    if (Date.now() > deadline) throw new Error(`${open.length} deployment(s) still open after ${DONE_WITHIN_MS} ms`);
    await sleep(100);
  }
}

// not runMain (./run): it loads the embedded database's PGlite, ~40 MB this process would
// count against the app. Exits explicitly, as runMain does: pg-boss's timers linger.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
