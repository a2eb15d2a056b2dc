import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateHealthChecks } from "../../domain/health-checks";
import { startPrometheus } from "../../test/prometheus";
import { runHealthRound } from "../health";

// The demo deploy script run as the command provider runs it (a real process with the
// GREENLIGHT_* variables), starting real services and a real proxy, checked over real HTTP and
// through a real Prometheus scraping the proxy.

const script = path.join(import.meta.dirname, "deploy.mjs");
const dirs: string[] = [];

interface ColorState {
  pid: number;
  port: number;
  url: string;
  version: string;
  bad: boolean;
}
interface DemoState {
  stoppedAt?: string;
  pid: number;
  port: number;
  url: string;
  version: string;
  traffic: { color: "blue" | "green"; percent: number };
  colors: Partial<Record<"blue" | "green", ColorState>>;
}

const stateIn = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, "demo-services", "storefront--staging.json"), "utf8")) as DemoState;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z");
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function newDir() {
  const dir = await mkdtemp(path.join(tmpdir(), "greenlight-demo-deploy-"));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) {
    const state = await stateIn(dir).catch(() => null);
    for (const pid of [state?.pid, state?.colors.blue?.pid, state?.colors.green?.pid])
      if (pid && running(pid)) process.kill(pid, "SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
});

/** Runs deploy.mjs with the variables the command provider sets. */
function run(dir: string, vars: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      {
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: process.env.NODE_ENV,
          GREENLIGHT_APP: "storefront",
          GREENLIGHT_ENV: "staging",
          GREENLIGHT_DATA_DIR: dir,
          ...vars,
        },
        encoding: "utf8",
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

async function ok(dir: string, vars: Record<string, string>) {
  const result = await run(dir, vars);
  expect(result.code, result.out).toBe(0);
  return result.out;
}

/** `count` requests to the environment's URL, tallied by the version that answered. */
async function versions(url: string, count: number) {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const body = (await (await fetch(`${url}healthz`)).json()) as { version: string };
    seen[body.version] = (seen[body.version] ?? 0) + 1;
  }
  return seen;
}

const deploy = (version: string, color: string, strategy = "canary") => ({
  GREENLIGHT_ACTION: "deploy",
  GREENLIGHT_VERSION: version,
  GREENLIGHT_COMMIT: `c0ffee${version}`,
  GREENLIGHT_STRATEGY: strategy,
  GREENLIGHT_COLOR: color,
});
const traffic = (version: string, color: string, percent: number) => ({
  GREENLIGHT_ACTION: "traffic",
  GREENLIGHT_VERSION: version,
  GREENLIGHT_STRATEGY: "canary",
  GREENLIGHT_COLOR: color,
  GREENLIGHT_TRAFFIC_PERCENT: String(percent),
});

describe("demo deploy script: two colours behind a proxy", () => {
  it("deploys green at 0 %, moves 50 % then 100 % of requests to it, and rolls back to blue", async () => {
    const dir = await newDir();
    const first = await ok(dir, { GREENLIGHT_VERSION: "1.0.0", GREENLIGHT_STRATEGY: "direct" });
    const s1 = await stateIn(dir);
    expect(first).toContain(`storefront in staging at ${s1.url} serves 1.0.0 from blue`);
    expect(s1).toMatchObject({ version: "1.0.0", traffic: { color: "blue", percent: 100 } });
    expect(await versions(s1.url, 10)).toEqual({ "1.0.0": 10 });
    const page = await (await fetch(s1.url)).text();
    expect(page).toContain("storefront");
    expect(page).toContain("1.0.0");

    // green gets the new version and no traffic
    await ok(dir, deploy("1.1.0", "green"));
    const s2 = await stateIn(dir);
    expect(s2.url).toBe(s1.url);
    expect(s2.colors.green).toMatchObject({ version: "1.1.0", bad: false });
    expect(await versions(s2.url, 50)).toEqual({ "1.0.0": 50 });

    await ok(dir, traffic("1.1.0", "green", 50));
    const half = await versions(s2.url, 200);
    expect(half["1.1.0"]).toBeGreaterThanOrEqual(90);
    expect(half["1.1.0"]).toBeLessThanOrEqual(110);
    expect(half["1.0.0"]! + half["1.1.0"]!).toBe(200);

    await ok(dir, traffic("1.1.0", "green", 100));
    expect(await versions(s2.url, 50)).toEqual({ "1.1.0": 50 });
    expect(await stateIn(dir)).toMatchObject({ version: "1.1.0", traffic: { color: "green", percent: 100 } });
    const reported = await ok(dir, { GREENLIGHT_ACTION: "version" });
    expect(reported.trim().split("\n").at(-1)).toBe("1.1.0");

    // blue still runs 1.0.0: the rollback only moves traffic back
    const back = await ok(dir, {
      GREENLIGHT_ACTION: "rollback",
      GREENLIGHT_VERSION: "1.0.0",
      GREENLIGHT_PREVIOUS_VERSION: "1.1.0",
      GREENLIGHT_COLOR: "green",
      GREENLIGHT_PREVIOUS_COLOR: "blue",
    });
    expect(back).toContain("rolling storefront in staging back to 1.0.0 on blue");
    expect(back).not.toContain("stopping");
    expect(await versions(s2.url, 50)).toEqual({ "1.0.0": 50 });
    const s3 = await stateIn(dir);
    expect(s3.colors.blue!.pid).toBe(s1.colors.blue!.pid);
    expect(running(s3.colors.green!.pid)).toBe(true);

    // moving traffic to a colour that does not run the release is refused, and changes nothing
    const refused = await run(dir, traffic("9.9.9", "green", 50));
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("deploy failed: green runs 1.1.0, not 9.9.9: deploy 9.9.9 to green first");
    expect(await versions(s2.url, 10)).toEqual({ "1.0.0": 10 });

    // a direct deploy replaces the idle colour and sends it everything; the old one is stopped when replaced later
    await ok(dir, { GREENLIGHT_VERSION: "1.2.0", GREENLIGHT_STRATEGY: "direct" });
    expect(await versions(s2.url, 10)).toEqual({ "1.2.0": 10 });
    expect(running(s3.colors.green!.pid)).toBe(false);

    // stopping the proxy stops its services; the next deploy records it and starts afresh
    const s4 = await stateIn(dir);
    process.kill(s4.pid, "SIGTERM");
    await until(
      "the services stop with their proxy",
      () => !running(s4.colors.blue!.pid) && !running(s4.colors.green!.pid),
    );
    const again = await ok(dir, { GREENLIGHT_VERSION: "1.3.0", GREENLIGHT_STRATEGY: "direct" });
    expect(again).toContain("blue (version 1.0.0) is no longer running");
    const s5 = await stateIn(dir);
    expect(s5.port).toBe(s4.port);
    expect(await versions(s5.url, 5)).toEqual({ "1.3.0": 5 });
  }, 60_000);

  it("a release marked bad answers 5xx through the proxy, and a real Prometheus sees the ratio fail the health round", async () => {
    const dir = await newDir();
    await ok(dir, { GREENLIGHT_VERSION: "2.0.0", GREENLIGHT_STRATEGY: "direct" });
    const { url } = await stateIn(dir);
    const prometheus = await startPrometheus({ targets: [`${url}metrics`] });
    try {
      await ok(dir, deploy("2.1.0-bad", "green"));
      expect((await stateIn(dir)).colors.green).toMatchObject({ version: "2.1.0-bad", bad: true });
      // /healthz still passes: only the metrics give it away
      expect((await fetch(`${url}healthz`, { headers: { "x-greenlight-color": "green" } })).status).toBe(200);
      await ok(dir, traffic("2.1.0-bad", "green", 50));

      const codes: Record<number, number> = {};
      const batch = async () => {
        for (let i = 0; i < 100; i++) {
          const res = await fetch(url);
          await res.arrayBuffer();
          codes[res.status] = (codes[res.status] ?? 0) + 1;
        }
        await prometheus.scrapedAfter();
      };
      // two scrapes with requests between, so each series has samples to compare
      await batch();
      await batch();
      expect(codes[500]).toBeGreaterThan(80);
      expect(codes[200]).toBeGreaterThan(100);

      const metrics = await (await fetch(`${url}metrics`)).text();
      expect(metrics).toMatch(
        /^http_requests_total\{app="storefront",environment="staging",color="green",version="2\.1\.0-bad",code="500"\} \d+$/m,
      );
      expect(metrics).toMatch(
        /^http_request_duration_seconds_bucket\{app="storefront",environment="staging",color="blue",version="2\.0\.0",le="\+Inf"\} \d+$/m,
      );

      const parsed = validateHealthChecks([
        {
          kind: "prometheus",
          name: "5xx ratio",
          serverUrl: prometheus.url,
          query:
            'sum(increase(http_requests_total{app="{{application}}",environment="{{environment}}",code=~"5.."}[1m])) / sum(increase(http_requests_total{app="{{application}}",environment="{{environment}}"}[1m]))',
          comparator: ">",
          threshold: 0.05,
          onBreach: "failure",
        },
        {
          kind: "prometheus",
          name: "new colour's 5xx ratio",
          serverUrl: prometheus.url,
          query:
            'sum(increase(http_requests_total{app="{{application}}",color="{{color}}",code=~"5.."}[1m])) / sum(increase(http_requests_total{app="{{application}}",color="{{color}}"}[1m]))',
          comparator: ">",
          threshold: 0.05,
          onBreach: "failure",
        },
        { kind: "http", name: "healthz", url: "/healthz" },
      ]);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
      const round = await runHealthRound(parsed.checks, {
        application: "storefront",
        environment: { key: "staging", url },
        color: "green",
        signal: AbortSignal.timeout(20_000),
      });
      expect(round.outcome).toBe("failure");
      expect(round.measurements.map((m) => [m.check, m.outcome])).toEqual([
        ["5xx ratio", "failure"],
        ["new colour's 5xx ratio", "failure"],
        ["healthz", "success"],
      ]);
      expect(round.measurements[0]!.value).toBeGreaterThan(0.3);
      expect(round.measurements[1]!.value).toBeGreaterThan(0.8);

      // rolled back: all traffic on blue again
      await ok(dir, {
        GREENLIGHT_ACTION: "rollback",
        GREENLIGHT_VERSION: "2.0.0",
        GREENLIGHT_COLOR: "green",
        GREENLIGHT_PREVIOUS_COLOR: "blue",
      });
      expect(await versions(url, 20)).toEqual({ "2.0.0": 20 });
    } finally {
      await prometheus.stop();
    }
  }, 60_000);

  it("GREENLIGHT_DEMO_BAD_VERSIONS marks a release bad", async () => {
    const dir = await newDir();
    await ok(dir, {
      GREENLIGHT_VERSION: "3.0.0",
      GREENLIGHT_STRATEGY: "direct",
      GREENLIGHT_DEMO_BAD_VERSIONS: "2.9.0, 3.0.0",
    });
    const { url, colors } = await stateIn(dir);
    expect(colors.blue).toMatchObject({ version: "3.0.0", bad: true });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await fetch(url)).status);
    expect(statuses.filter((s) => s === 500)).toHaveLength(9);
  });

  it("fails with a reason when GREENLIGHT_PORT is taken by something else", async () => {
    const dir = await newDir();
    const other = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const port = (other.address() as { port: number }).port;
    try {
      const result = await run(dir, { GREENLIGHT_VERSION: "1.0.0", GREENLIGHT_PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/the proxy of storefront in staging exited .* before it was healthy: .*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it("stop-all stops every process the demo started for its folder, recorded or not, and waits until they are gone", async () => {
    const dir = await newDir();
    await ok(dir, { GREENLIGHT_VERSION: "4.0.0", GREENLIGHT_STRATEGY: "direct" });
    await ok(dir, deploy("4.1.0", "green"));
    const s = await stateIn(dir);
    const pids = [s.pid, s.colors.blue!.pid, s.colors.green!.pid];
    // a deploy cut off between starting a service and recording it leaves one nobody recorded
    const file = path.join(dir, "demo-services", "storefront--staging.json");
    const unrecorded = { ...s, colors: { blue: s.colors.blue } };
    await writeFile(file, JSON.stringify(unrecorded));

    const out = await ok(dir, { GREENLIGHT_ACTION: "stop-all" });
    expect(out).toContain(`stopping 1 unrecorded demo process(es): ${s.colors.green!.pid}`);
    expect(out.trim().split("\n").at(-1)).toBe(
      `greenlight: stopped=${[s.pid, s.colors.blue!.pid, s.colors.green!.pid].join(",")}`,
    );
    expect(pids.filter(running)).toEqual([]);
    // what ran is kept for the next start-all
    expect(await stateIn(dir)).toMatchObject({
      pid: null,
      port: s.port,
      colors: { blue: { pid: null, version: "4.0.0" } },
    });
    expect((await stateIn(dir)).stoppedAt).toBeTruthy();
  });

  it("two checkouts deploying the same application and environment at once each get their own proxy and services", async () => {
    const [a, b] = [await newDir(), await newDir()];
    const [left, right] = await Promise.all([
      run(a, { GREENLIGHT_VERSION: "3.0.0", GREENLIGHT_STRATEGY: "direct" }),
      run(b, { GREENLIGHT_VERSION: "3.1.0", GREENLIGHT_STRATEGY: "direct" }),
    ]);
    expect(left.code, left.out).toBe(0);
    expect(right.code, right.out).toBe(0);
    const [sa, sb] = [await stateIn(a), await stateIn(b)];
    expect(sa.port).not.toBe(sb.port);
    expect(await versions(sa.url, 4)).toEqual({ "3.0.0": 4 });
    expect(await versions(sb.url, 4)).toEqual({ "3.1.0": 4 });

    // a redeploy in one checkout keeps its proxy's port and leaves the other alone
    await ok(a, { GREENLIGHT_VERSION: "3.0.1", GREENLIGHT_STRATEGY: "direct" });
    expect((await stateIn(a)).port).toBe(sa.port);
    expect(await versions(sa.url, 4)).toEqual({ "3.0.1": 4 });
    expect(await versions(sb.url, 4)).toEqual({ "3.1.0": 4 });
  });
});
