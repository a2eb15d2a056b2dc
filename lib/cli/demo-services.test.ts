import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../db";
import { DEMO_DEPLOY_SCRIPT, demoServicesDir, stopAll } from "../deploy/demo/lifecycle";
import { runDeployment } from "../jobs/deploy-worker";
import { promoteRelease } from "../data/promotion/promote";
import { insertPromotionWorld, releaseAt } from "../test/promotion.fixture";
import { resetDatabase } from "../test/reset";
import { startDemoServices, stopDemoServices } from "./demo-services";

// The demo's services live as long as `npm start`. The real launcher (lib/cli/start.ts) runs here,
// with a stand-in for the app server (Next is not what this is about, and is not built here):
// real deploys through the command provider start the demo's proxy and colours, and after
// Greenlight stops none of their processes remain, checked by pid. The next start brings them
// back as they ran, on a new port when theirs is taken, and records where the release now runs.

let tmp: string;
let dataDir: string;
let servicesDir: string;
let launchDir: string;
const launched: ChildProcess[] = [];

interface ColorState {
  pid: number | null;
  port: number;
  url: string;
  version: string;
}
interface DemoState {
  pid: number | null;
  port: number;
  url: string;
  version: string;
  stoppedAt?: string;
  traffic: { color: "blue" | "green"; percent: number };
  colors: Partial<Record<"blue" | "green", ColorState>>;
}

const stateFile = () => path.join(servicesDir, "storefront--staging.json");
const state = () => JSON.parse(fs.readFileSync(stateFile(), "utf8")) as DemoState;
const pidsOf = (s: DemoState) => [s.pid, s.colors.blue?.pid, s.colors.green?.pid].filter((p): p is number => !!p);

/**
 * Gone: signal 0 answers ESRCH. A zombie (exited, not yet reaped by whoever inherited it) holds
 * no port and runs nothing, so it counts as gone too (Linux: its state in /proc).
 */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function until(what: string, check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs deploy.mjs with the variables the command provider sets for a step. */
function deployStep(vars: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [DEMO_DEPLOY_SCRIPT],
      {
        timeout: 30_000,
        encoding: "utf8",
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: process.env.NODE_ENV,
          GREENLIGHT_DATA_DIR: dataDir,
          GREENLIGHT_APP: "storefront",
          GREENLIGHT_ENV: "staging",
          ...vars,
        },
      },
      (error, stdout, stderr) => (error ? reject(new Error(`${stdout}${stderr}`)) : resolve(stdout)),
    ),
  );
}

/**
 * `npm start` as it runs (tsx, lib/cli/start.ts), in a folder whose lib/cli/compiled.mjs is a
 * stand-in for the app server: it says it listens, exits on SIGTERM or SIGINT, and with its parent.
 */
function launch() {
  // the stand-in listens on nothing: any port will do
  const port = String(30_000 + Math.floor(Math.random() * 2_000));
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.resolve("lib/cli/start.ts"), "--dev"],
    {
      cwd: launchDir,
      env: {
        ...process.env,
        DATABASE_URL: inject("databaseUrl"),
        AUTH_SECRET: "x".repeat(32),
        GREENLIGHT_URL: `http://localhost:${port}`,
        AUTH_URL: "",
        PORT: port,
        GREENLIGHT_SEED_PRESET: "none",
        GREENLIGHT_DATA_DIR: path.join(tmp, "greenlight"),
        // the checkout's path aliases (@/…), from its own folder
        TSX_TSCONFIG_PATH: path.resolve("tsconfig.json"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  launched.push(child);
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    ready: async () => {
      await until(
        "the launcher started the app server",
        () => output.includes("app-server (stand-in): listening") || child.exitCode !== null,
        60_000,
      );
      expect(child.exitCode, output).toBeNull();
    },
  };
}

const STAND_IN = `// the app server's stand-in (lib/cli/demo-services.test.ts)
console.log(\`app-server (stand-in): listening on port \${process.env.PORT} (pid \${process.pid})\`);
const stop = () => process.exit(0);
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    stop();
  }
}, 200);
`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "greenlight-demo-lifecycle-"));
  dataDir = path.join(tmp, "data");
  servicesDir = path.join(dataDir, "demo-services");
  launchDir = path.join(tmp, "launch");
  fs.mkdirSync(path.join(launchDir, "lib/cli"), { recursive: true });
  fs.writeFileSync(path.join(launchDir, "lib/cli/compiled.mjs"), STAND_IN);
  for (const entry of ["node_modules", "prisma", "package.json"])
    fs.symlinkSync(path.resolve(entry), path.join(launchDir, entry));

  await resetDatabase();
  const world = await insertPromotionWorld({
    deploy: { command: process.execPath, args: [DEMO_DEPLOY_SCRIPT], env: { GREENLIGHT_DATA_DIR: dataDir } },
  });
  await db().checklistItem.deleteMany();
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  // blue takes 1.0.0 through Greenlight's own deploy (which records where it runs), then green
  // takes 1.1.0 and 30 % of the requests, as a canary halfway through would
  const release = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
  expect(await runDeployment(deploymentId)).toMatchObject({ ok: true, status: "succeeded" });
  await deployStep({
    GREENLIGHT_ACTION: "deploy",
    GREENLIGHT_VERSION: "1.1.0",
    GREENLIGHT_COLOR: "green",
    GREENLIGHT_STRATEGY: "canary",
  });
  await deployStep({
    GREENLIGHT_ACTION: "traffic",
    GREENLIGHT_VERSION: "1.1.0",
    GREENLIGHT_COLOR: "green",
    GREENLIGHT_STRATEGY: "canary",
    GREENLIGHT_TRAFFIC_PERCENT: "30",
  });
}, 120_000);

afterAll(async () => {
  for (const child of launched) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (servicesDir) await stopAll(servicesDir);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** `count` requests to `url`, tallied by the version that answered. */
async function versions(url: string, count: number) {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const body = (await (await fetch(`${url}healthz`)).json()) as { version: string };
    seen[body.version] = (seen[body.version] ?? 0) + 1;
  }
  return seen;
}

describe("the demo's services live as long as npm start", () => {
  it("after Greenlight stops, none of the demo's processes remain (checked by pid); what ran stays recorded", async () => {
    const before = state();
    const pids = pidsOf(before);
    expect(pids).toHaveLength(3);
    expect(pids.some(gone)).toBe(false);

    const greenlight = launch();
    await greenlight.ready();
    // they were running: kept as they are, now owned by this Greenlight
    expect(pidsOf(state())).toEqual(pids);
    expect(greenlight.output()).toContain(
      "Demo services: 1 application × environment(s) running as when Greenlight last stopped",
    );

    greenlight.child.kill("SIGTERM");
    expect(await greenlight.exited).toBe(0);
    // waited for: gone by the time Greenlight has exited
    expect(pids.filter((pid) => !gone(pid))).toEqual([]);
    expect(greenlight.output()).toContain("Demo services: stopped 3 process(es).");

    const after = state();
    expect(after.stoppedAt).toBeTruthy();
    expect(pidsOf(after)).toEqual([]);
    expect(after).toMatchObject({
      port: before.port,
      traffic: { color: "green", percent: 30 },
      colors: { blue: { version: before.colors.blue!.version }, green: { version: "1.1.0" } },
    });
  }, 120_000);

  it("the next start brings them back as they ran, on a free port when theirs is taken, and records the new URL", async () => {
    const before = state();
    const { serviceUrl } = await db().deployment.findFirstOrThrow({
      where: { status: "SUCCEEDED", serviceUrl: { not: null } },
    });
    expect(serviceUrl).toBe(before.url);
    // another checkout's demo took the proxy's port meanwhile
    const squatter: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      squatter.once("error", reject);
      squatter.listen(before.port, "127.0.0.1", resolve);
    });
    try {
      const greenlight = launch();
      await greenlight.ready();
      const now = state();
      expect(now.port).not.toBe(before.port);
      expect(now.url).toBe(`http://127.0.0.1:${now.port}/`);
      expect(greenlight.output()).toContain(`storefront in staging: ${before.url} is taken, now at ${now.url}`);
      // the release runs there now, and Greenlight says so
      expect(
        (await db().deployment.findFirstOrThrow({ where: { status: "SUCCEEDED", serviceUrl: { not: null } } }))
          .serviceUrl,
      ).toBe(now.url);
      // both colours with their versions, under the split as it was: exactly 3 in 10 to green
      expect(await versions(now.url, 20)).toEqual({ [before.colors.blue!.version]: 14, "1.1.0": 6 });
      const pids = pidsOf(now);
      expect(pids).toHaveLength(3);

      // a second Greenlight sharing the folder leaves it to the one that owns it
      const lines: string[] = [];
      const second = await startDemoServices(inject("databaseUrl"), { log: (line) => lines.push(line) });
      expect(second.dirs).toEqual([]);
      expect(lines.join("\n")).toContain(`are run by the Greenlight with pid ${greenlight.child.pid}: left to it`);
      expect(await stopDemoServices([servicesDir], { log: () => {} })).toEqual([]);
      expect(pids.some(gone)).toBe(false);

      greenlight.child.kill("SIGINT");
      expect(await greenlight.exited).toBe(0);
      expect(pids.filter((pid) => !gone(pid))).toEqual([]);
      expect(state()).toMatchObject({ port: now.port, url: now.url });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 120_000);

  it("Greenlight killed outright: the demo's processes notice and stop by themselves", async () => {
    const greenlight = launch();
    await greenlight.ready();
    const pids = pidsOf(state());
    expect(pids).toHaveLength(3);
    greenlight.child.kill("SIGKILL");
    await until("every demo process is gone", () => pids.every(gone));
  }, 120_000);

  it("only the demo deploy script's targets are the demo's", () => {
    const cwd = path.resolve(path.dirname(DEMO_DEPLOY_SCRIPT), "../../..");
    expect(demoServicesDir({ command: "node", args: ["lib/deploy/demo/deploy.mjs"] }, cwd, ".data")).toBe(
      path.join(cwd, ".data/demo-services"),
    );
    // Greenlight's own data folder, as the command provider passes it to the script
    expect(demoServicesDir({ command: "node", args: ["lib/deploy/demo/deploy.mjs"] }, cwd, "/tmp/gl-e2e")).toBe(
      "/tmp/gl-e2e/demo-services",
    );
    expect(
      demoServicesDir(
        { command: "/usr/bin/node", args: [DEMO_DEPLOY_SCRIPT], env: { GREENLIGHT_DATA_DIR: "/srv/demo" } },
        "/",
      ),
    ).toBe("/srv/demo/demo-services");
    expect(demoServicesDir({ command: "node", args: ["deploy.mjs"] }, cwd)).toBeNull();
    expect(demoServicesDir({ command: "flyctl", args: ["deploy"] }, cwd)).toBeNull();
    expect(demoServicesDir({ command: "sh", args: [DEMO_DEPLOY_SCRIPT] }, cwd)).toBeNull();
    expect(demoServicesDir({ url: "https://deploy.example" }, cwd)).toBeNull();
  });
});
