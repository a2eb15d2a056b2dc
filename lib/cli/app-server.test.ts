import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, db } from "../db";
import { forgetParsedEnv } from "../env";
import { createSdkKey } from "../data/flags/sdk-keys";
import { updateFlagState } from "../data/flags/toggle";
import { actorWith } from "../test/actors";
import { createTestDatabase, type TestDatabase } from "../test/databases";

// `npm start` serves the flag evaluation endpoints on the app's own port, beside the pages
// (lib/cli/app-server.ts). Two app servers share one PostgreSQL database of their own, as two
// instances behind a load balancer would; a flag change made through the data layer reaches
// both within a second. They need a PostgreSQL server: skipped on the embedded test database.

const suiteUrl = process.env.DATABASE_URL;
let database: TestDatabase;
const servers: Server[] = [];
let sdkKey = "";
let admin: Awaited<ReturnType<typeof actorWith>>;

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/start.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      GREENLIGHT_URL: `http://localhost:${port}`,
      AUTH_URL: "",
      GREENLIGHT_SEED_PRESET: "none",
    },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // a build may run first when the sources changed
  const deadline = Date.now() + 240_000;
  while (!output.includes("app-server: listening on port")) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base: `http://localhost:${port}`, output: () => output, exited };
}

async function stopServer(server: Server): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  if (server.child.exitCode === null) server.child.kill("SIGTERM");
  const code = await server.exited;
  return { code, ms: Date.now() - started };
}

async function served(server: Server): Promise<Record<string, boolean>> {
  const res = await fetch(`${server.base}/api/v1/flags?environment=staging`, {
    headers: { authorization: `Bearer ${sdkKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { flags: Record<string, boolean> }).flags;
}

/** The sessions this database has (a stopped server must leave none, LISTEN included). */
async function connections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [name],
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe.skipIf(inject("embeddedDatabase"))("the app's port serves the flags (two app servers, one database)", () => {
  beforeAll(async () => {
    database = await createTestDatabase("greenlight_app_server");
    // the first one migrates the empty database; the second finds nothing to do
    servers.push(await startServer(database.url));
    servers.push(await startServer(database.url));
    // this process writes through the data layer into the servers' database
    await closeDb();
    process.env.DATABASE_URL = database.url;
    forgetParsedEnv();
    const staging = await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } });
    const flag = await db().featureFlag.create({ data: { key: "new-checkout", name: "New checkout" } });
    await db().flagState.create({ data: { flagId: flag.id, environmentId: staging.id, enabled: false } });
    admin = await actorWith(["environment.view", "environment.manage", "flag.toggle"], [staging.id]);
    sdkKey = (await createSdkKey(admin, { environmentKey: "staging", name: "app-server test" })).key;
  }, 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    await closeDb();
    process.env.DATABASE_URL = suiteUrl;
    forgetParsedEnv();
    await database?.drop();
  });

  it("answers GET /api/v1/flags with an SDK key on the pages' port, and the pages still work", async () => {
    const server = servers[0]!;
    // the key was made after the server started: within a second it is known
    const deadline = Date.now() + 2_000;
    let res: Response;
    do {
      res = await fetch(`${server.base}/api/v1/flags?environment=staging`, {
        headers: { authorization: `Bearer ${sdkKey}` },
      });
    } while (res.status === 401 && Date.now() < deadline);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBeTruthy();
    expect(await res.json()).toMatchObject({ flags: { "new-checkout": false } });
    expect((await fetch(`${server.base}/api/v1/flags?environment=staging`)).status).toBe(401);

    const health = await fetch(`${server.base}/api/health`);
    expect(health.status).toBe(200);
    // a page, through proxy.ts: the sign-in page is public
    const signIn = await fetch(`${server.base}/sign-in`);
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("content-type")).toContain("text/html");
    // any other page sends a visitor without a session to sign in (proxy.ts)
    const board = await fetch(`${server.base}/`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(board.status);
    expect(board.headers.get("location")).toContain("/sign-in");
  });

  it("serves a flag change on both servers within a second", async () => {
    // the key was made after both servers started: wait until each knows it (the first test
    // waited for one only), so what is timed below is the flag change alone
    for (const server of servers) {
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${server.base}/api/v1/flags?environment=staging`, {
          headers: { authorization: `Bearer ${sdkKey}` },
        });
        await res.arrayBuffer();
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    for (const enabled of [true, false, true]) {
      await updateFlagState(admin, { flagKey: "new-checkout", environmentKey: "staging", enabled });
      const changed = Date.now();
      const seen = await Promise.all(
        servers.map(async (server) => {
          while (Date.now() - changed < 3_000) {
            if ((await served(server))["new-checkout"] === enabled) return Date.now() - changed;
            await new Promise((r) => setTimeout(r, 10));
          }
          return Infinity;
        }),
      );
      console.log(`flag change → served by both app servers: ${seen.map((ms) => `${ms} ms`).join(", ")}`);
      for (const ms of seen) expect(ms).toBeLessThan(1_000);
    }
  });

  it("stops on SIGTERM: exits 0 and leaves no connection (LISTEN included) to the database", async () => {
    for (const server of servers) {
      const { code, ms } = await stopServer(server);
      expect(code, server.output()).toBe(0);
      expect(ms).toBeLessThan(15_000);
    }
    // the test process's own pool is closed first: only the servers' connections would remain
    await closeDb();
    const deadline = Date.now() + 5_000;
    let left = await connections(database.url);
    while (left > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      left = await connections(database.url);
    }
    expect(left).toBe(0);
  });
});
