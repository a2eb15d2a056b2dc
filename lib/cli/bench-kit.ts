import { randomBytes } from "node:crypto";
import pg from "pg";
import { ENVIRONMENT_PERMISSIONS, GLOBAL_PERMISSIONS } from "../domain/permissions";
import { hashPassword } from "../password";

// What the benchmarks share: 10,000 releases seeded in SQL, an admin who may do everything, a
// signed-in session through Auth.js's own endpoints, and percentiles.

export const RELEASES = Number(process.env.BENCH_RELEASES ?? 10_000);
export const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
export const WARMUP = 5;
export const ADMIN = { email: "admin@bench.example", password: randomBytes(18).toString("base64url") };

/** The three environments every benchmark seeds. */
async function insertEnvironments(c: pg.Client): Promise<void> {
  await c.query(`
      INSERT INTO "Environment" (id, key, name, position, protected, color, "requiredApprovals", "updatedAt") VALUES
        (gen_random_uuid(), 'development', 'Development', 0, false, '#0ea5e9', 0, now()),
        (gen_random_uuid(), 'staging', 'Staging', 1, false, '#f59e0b', 0, now()),
        (gen_random_uuid(), 'production', 'Production', 2, true, '#ef4444', 1, now())`);
}

/**
 * Bulk data in SQL (seconds instead of minutes through the ORM). Every release reaches
 * development, half reach staging, a quarter production; a few deployments failed.
 */
export async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await insertEnvironments(c);
    await c.query(`
      INSERT INTO "Application" (id, key, name)
      SELECT gen_random_uuid(), k, initcap(replace(k, '-', ' '))
      FROM unnest(ARRAY['storefront','payments-api','web-admin','public-api','notifications']) AS k`);
    await c.query(
      `
      INSERT INTO "Release" (id, "applicationId", version, "commitSha", title, changelog, "createdAt")
      SELECT gen_random_uuid(), a.id, '1.' || (n / 100) || '.' || (n % 100),
             substr(md5(a.key || n) || md5(n || a.key), 1, 40),
             'Release ' || n || ' of ' || a.name, '- change ' || n,
             now() - make_interval(mins => ($1::int - n) * 5)
      FROM "Application" a, generate_series(1, $1::int / 5) AS n`,
      [RELEASES],
    );
    await c.query(`
      WITH r AS (
        SELECT r.id, r."applicationId", r."createdAt",
               row_number() OVER (PARTITION BY r."applicationId" ORDER BY r."createdAt") AS n
        FROM "Release" r)
      INSERT INTO "Deployment" (id, "releaseId", "applicationId", "environmentId", status, "queuedAt", "startedAt", "finishedAt")
      SELECT gen_random_uuid(), r.id, r."applicationId", e.id,
             (CASE WHEN r.n % 37 = 0 THEN 'failed' ELSE 'succeeded' END)::"DeploymentStatus",
             r."createdAt" + make_interval(mins => e.position * 60),
             r."createdAt" + make_interval(mins => e.position * 60),
             r."createdAt" + make_interval(mins => e.position * 60 + 3)
      FROM r JOIN "Environment" e
        ON e.position = 0 OR (e.position = 1 AND r.n % 2 = 0) OR (e.position = 2 AND r.n % 4 = 0)`);
    await c.query("COMMIT");
    await c.query("ANALYZE");
    const counts = await c.query<{ releases: string; deployments: string }>(
      `SELECT (SELECT count(*) FROM "Release") AS releases, (SELECT count(*) FROM "Deployment") AS deployments`,
    );
    console.log(`seeded ${counts.rows[0]?.releases} releases, ${counts.rows[0]?.deployments} deployments`);
  } finally {
    await c.end();
  }
}

/** How far the benchmark's newest storefront release is from what runs in production. */
export const PROMOTION_SPAN = 200;

/**
 * Two years of history for the page benchmark (issue 12): RELEASES releases over 5 applications
 * and about 50,000 deployments. Every release is deployed to development twice (a first attempt
 * fails now and then), to staging once or twice and to production once or twice, except the
 * storefront's newest PROMOTION_SPAN releases, which have not reached production: the newest
 * one's promotion spans them all. Production sees failures, canary rollbacks, rollbacks by hand
 * (rollback deployments of the previous release) and hotfix releases; 100 flags differ between
 * staging and production here and there.
 */
export async function seedHistory(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await insertEnvironments(c);
    await c.query(`
      INSERT INTO "Application" (id, key, name, "repositoryUrl")
      SELECT gen_random_uuid(), k, initcap(replace(k, '-', ' ')), 'https://github.com/bench/' || k
      FROM unnest(ARRAY['storefront','payments-api','web-admin','public-api','notifications']) AS k`);
    // spread evenly over two years, per application
    await c.query(
      `
      INSERT INTO "Release" (id, "applicationId", version, "commitSha", "commitAt", title, changelog, "createdAt")
      SELECT gen_random_uuid(), a.id, '1.' || (n / 100) || '.' || (n % 100),
             substr(md5(a.key || n) || md5(n || a.key), 1, 40),
             now() - make_interval(secs => (($1::int / 5) - n + 1) * (730 * 86400 / ($1::int / 5))) - interval '40 minutes',
             CASE WHEN n % 50 = 0 THEN 'Hotfix: release ' || n || ' of ' || a.name ELSE 'Release ' || n || ' of ' || a.name END,
             E'### Added\n- feature ' || n || E'\n- another feature ' || n || E'\n\n### Fixed\n- fix ' || n,
             now() - make_interval(secs => (($1::int / 5) - n + 1) * (730 * 86400 / ($1::int / 5)))
      FROM "Application" a, generate_series(1, $1::int / 5) AS n`,
      [RELEASES],
    );
    await c.query(
      `
      WITH r AS (
        SELECT r.id, r."applicationId", r."createdAt", a.key AS app,
               row_number() OVER (PARTITION BY r."applicationId" ORDER BY r."createdAt") AS n,
               count(*) OVER (PARTITION BY r."applicationId") AS total
        FROM "Release" r JOIN "Application" a ON a.id = r."applicationId"),
      attempts AS (
        SELECT r.*, e.id AS env, e.position, attempt
        FROM r JOIN "Environment" e ON true
        CROSS JOIN LATERAL generate_series(1, CASE WHEN e.position = 0 THEN 2 ELSE 1 + (r.n % 2)::int END) AS attempt
        WHERE NOT (e.position = 2 AND r.app = 'storefront' AND r.n > r.total - $1::int))
      INSERT INTO "Deployment" (id, "releaseId", "applicationId", "environmentId", status, strategy, "queuedAt", "startedAt", "finishedAt", "failureReason")
      SELECT gen_random_uuid(), id, "applicationId", env,
             (CASE
                WHEN attempt > 1 THEN 'succeeded'
                WHEN position < 2 AND (n * 7 + position) % 9 = 0 THEN 'failed'
                WHEN position = 2 AND n % 2 = 1 AND n % 3 = 0 THEN 'failed'
                WHEN position = 2 AND n % 2 = 1 AND n % 5 = 0 THEN 'rolled_back'
                ELSE 'succeeded' END)::"DeploymentStatus",
             (CASE WHEN position = 2 THEN 'canary' ELSE 'direct' END)::"RolloutStrategy",
             "createdAt" + make_interval(mins => position * 90 + attempt * 20),
             "createdAt" + make_interval(mins => position * 90 + attempt * 20, secs => 10),
             "createdAt" + make_interval(mins => position * 90 + attempt * 20 + 4),
             CASE WHEN attempt = 1 AND ((position < 2 AND (n * 7 + position) % 9 = 0) OR (position = 2 AND n % 2 = 1 AND (n % 3 = 0 OR n % 5 = 0)))
                  THEN 'bench failure' END
      FROM attempts`,
      [PROMOTION_SPAN],
    );
    // rollbacks by hand: every 40th release's successful production deployment is undone by
    // deploying the release before it again, half an hour later
    await c.query(`
      WITH p AS (
        SELECT d.id, d."applicationId", d."environmentId", d."finishedAt", r."createdAt",
               lag(d."releaseId") OVER (PARTITION BY d."applicationId" ORDER BY d."queuedAt") AS previous,
               row_number() OVER (PARTITION BY d."applicationId" ORDER BY d."queuedAt") AS n
        FROM "Deployment" d JOIN "Release" r ON r.id = d."releaseId" JOIN "Environment" e ON e.id = d."environmentId"
        WHERE e.position = 2 AND d.status = 'succeeded'),
      marked AS (
        UPDATE "Deployment" d SET status = 'rolled_back', "failureReason" = 'rolled back by hand'
        FROM p WHERE d.id = p.id AND p.n % 40 = 0 AND p.previous IS NOT NULL
        RETURNING p.*)
      INSERT INTO "Deployment" (id, "releaseId", "applicationId", "environmentId", status, kind, "rollbackOfId", "queuedAt", "startedAt", "finishedAt")
      SELECT gen_random_uuid(), previous, "applicationId", "environmentId", 'succeeded', 'rollback', id,
             "finishedAt" + interval '30 minutes', "finishedAt" + interval '30 minutes 5 seconds', "finishedAt" + interval '33 minutes'
      FROM marked`);
    await c.query(`
      WITH f AS (
        INSERT INTO "FeatureFlag" (id, key, name, category)
        SELECT gen_random_uuid(), 'benchFlag' || n, 'Bench flag ' || n, 'bench' FROM generate_series(1, 100) AS n
        RETURNING id, key)
      INSERT INTO "FlagState" (id, "flagId", "environmentId", enabled, "rolloutPercent", "updatedAt")
      SELECT gen_random_uuid(), f.id, e.id,
             (substr(f.key, 10)::int + e.position) % 3 = 0,
             CASE WHEN e.position = 2 AND substr(f.key, 10)::int % 7 = 0 THEN 25 END, now()
      FROM f, "Environment" e`);
    await c.query("COMMIT");
    await c.query("ANALYZE");
    const counts = await c.query<{ releases: string; deployments: string; since: Date }>(
      `SELECT (SELECT count(*) FROM "Release") AS releases, (SELECT count(*) FROM "Deployment") AS deployments,
              (SELECT min("queuedAt") FROM "Deployment") AS since`,
    );
    const row = counts.rows[0];
    console.log(`seeded ${row?.releases} releases, ${row?.deployments} deployments since ${row?.since.toISOString()}`);
  } finally {
    await c.end();
  }
}

/** A user whose one role holds every permission in every environment and every global one. */
export async function createAdmin(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "Role" (id, key, name, "builtIn", "globalPermissions")
       VALUES (gen_random_uuid(), 'admin', 'Admin', true, $1::text[]::"Permission"[]) RETURNING id`,
      [GLOBAL_PERMISSIONS],
    );
    const roleId = rows[0]?.id;
    await c.query(
      `INSERT INTO "EnvironmentPermission" (id, "roleId", "environmentId", permissions, "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, e.id, $2::text[]::"Permission"[], now() FROM "Environment" e`,
      [roleId, ENVIRONMENT_PERMISSIONS],
    );
    await c.query(
      `WITH u AS (
         INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
         VALUES (gen_random_uuid(), $1, 'Bench admin', $2, now()) RETURNING id)
       INSERT INTO "UserRole" ("userId", "roleId") SELECT u.id, $3::uuid FROM u`,
      [ADMIN.email, await hashPassword(ADMIN.password), roleId],
    );
    await c.query("COMMIT");
  } finally {
    await c.end();
  }
}

/** The cookies a response sets, each as the name=value pair a Cookie header sends back. */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
}

/**
 * Signs in the way a browser's form post to Auth.js would: a CSRF token and its cookie, then
 * the credentials callback, whose redirect is not followed (its Set-Cookie is the session).
 */
export async function signIn(origin: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = cookiesOf(csrf);
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password }),
  });
  const session = cookiesOf(response).find((c) => c.startsWith("authjs.session-token="));
  if (!session)
    throw new Error(
      `sign-in failed: ${response.status}, redirected to ${response.headers.get("location") ?? "nowhere"}`,
    );
  return session;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function timeRequest(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  // a redirect would mean the session was refused: time the page, never the sign-in form
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}

/** `next start` on a free port against `databaseUrl`, counting SQL statements; resolves once healthy. */
export async function startServer(databaseUrl: string) {
  const { spawn } = await import("node:child_process");
  const { freePort } = await import("../embedded");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      GREENLIGHT_COUNT_QUERIES: "1",
      // the address the app names itself by: sign-in redirects and links are built from it
      GREENLIGHT_URL: origin,
      // the benchmark measures requests; deploys are not part of it
      GREENLIGHT_WORKER: "off",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  });
  for (let i = 0; i < 150; i++) {
    const healthy = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    stop: async () => {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    },
  };
}

export async function queryCount(origin: string): Promise<number> {
  const r = await fetch(`${origin}/api/internal/query-count`);
  return ((await r.json()) as { count: number }).count;
}
