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

/**
 * Bulk data in SQL (seconds instead of minutes through the ORM). Every release reaches
 * development, half reach staging, a quarter production; a few deployments failed.
 */
export async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await c.query(`
      INSERT INTO "Environment" (id, key, name, position, protected, color, "requiredApprovals", "updatedAt") VALUES
        (gen_random_uuid(), 'development', 'Development', 0, false, '#0ea5e9', 0, now()),
        (gen_random_uuid(), 'staging', 'Staging', 1, false, '#f59e0b', 0, now()),
        (gen_random_uuid(), 'production', 'Production', 2, true, '#ef4444', 1, now())`);
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
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      GREENLIGHT_COUNT_QUERIES: "1",
      // the benchmark measures requests; deploys are not part of it
      GREENLIGHT_WORKER: "off",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  });
  const origin = `http://127.0.0.1:${port}`;
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
