import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandProvider } from "../command/provider";
import type { DeployContext, LogLine } from "../provider";

// The demo deploy script, run the way the demo preset runs it: through the command provider,
// as a real process that starts a real HTTP service, checked over real HTTP.

const script = path.join(import.meta.dirname, "deploy.mjs");
let dataDir: string;
let port: number;
/** more data folders, as other checkouts on the same machine have */
const otherDirs: string[] = [];
const stateFileIn = (dir: string) => path.join(dir, "demo-services", "storefront--staging.json");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

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

interface ServiceState {
  pid: number;
  port: number;
  version: string;
  url: string;
}

async function stateIn(dir: string): Promise<ServiceState> {
  return JSON.parse(await readFile(stateFileIn(dir), "utf8")) as ServiceState;
}
const state = () => stateIn(dataDir);

async function healthOf(url: string) {
  const res = await fetch(`${url}healthz`);
  return (await res.json()) as { status: string; version: string; app: string; environment: string };
}

/** Holds `port` on 127.0.0.1 with something that is not a demo service, until `close`. */
async function occupy(port: number) {
  const other = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    other.once("error", reject);
    other.listen(port, "127.0.0.1", resolve);
  });
  return { close: () => new Promise((resolve) => other.close(resolve)) };
}

function context(version: string, previousVersion?: string): DeployContext {
  return {
    deploymentId: "0190a1b2-0000-7000-8000-00000000d3e0",
    application: { key: "storefront" },
    environment: { key: "staging" },
    release: { version, commitSha: `c0ffee${version.replaceAll(".", "")}`, previousVersion },
    strategy: "direct",
    signal: new AbortController().signal,
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "greenlight-demo-deploy-"));
  port = await freePort();
});
afterAll(async () => {
  for (const dir of [dataDir, ...otherDirs]) {
    const last = await stateIn(dir).catch(() => null);
    if (last && running(last.pid)) process.kill(last.pid, "SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
});

describe("demo deploy script", () => {
  const provider = () =>
    commandProvider({
      command: process.execPath,
      args: [script],
      timeoutSeconds: 30,
      env: { GREENLIGHT_PORT: String(port), GREENLIGHT_DATA_DIR: dataDir },
    });

  async function deploy(version: string, previous?: string, action: "deploy" | "rollback" = "deploy") {
    const lines: LogLine[] = [];
    const sink = (line: LogLine) => {
      lines.push(line);
    };
    const result =
      action === "deploy"
        ? await provider().deploy(context(version, previous), sink)
        : await provider().rollback(context(version, previous), sink);
    return { result, text: lines.map((l) => l.text) };
  }

  async function healthz() {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: res.status, body: (await res.json()) as { status: string; version: string } };
  }

  it("starts a service that serves the deployed version, replaces it on redeploy and rolls back", async () => {
    const first = await deploy("1.0.0");
    expect(first.result, first.text.join("\n")).toMatchObject({ ok: true });
    expect(first.text).toContain(`healthy: http://127.0.0.1:${port}/healthz reports 1.0.0`);
    const health = await healthz();
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", version: "1.0.0" });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    const html = await page.text();
    expect(html).toContain("storefront");
    expect(html).toContain("staging");
    expect(html).toContain("1.0.0");
    const v1 = await state();
    expect(v1).toMatchObject({ port, version: "1.0.0" });
    expect(running(v1.pid)).toBe(true);

    const second = await deploy("1.1.0", "1.0.0");
    expect(second.result, second.text.join("\n")).toMatchObject({ ok: true });
    expect(second.text).toContain(`stopping previous instance: pid ${v1.pid}, version 1.0.0`);
    expect((await healthz()).body.version).toBe("1.1.0");
    const v2 = await state();
    expect(v2.pid).not.toBe(v1.pid);
    expect(running(v1.pid)).toBe(false);
    expect(running(v2.pid)).toBe(true);

    const back = await deploy("1.1.0", "1.0.0", "rollback");
    expect(back.result, back.text.join("\n")).toMatchObject({ ok: true });
    expect(back.text).toContain("rolling storefront in staging back to 1.0.0");
    expect((await healthz()).body.version).toBe("1.0.0");
    expect(running(v2.pid)).toBe(false);
  });

  it("fails with a reason when the port is taken by something else", async () => {
    expect((await deploy("1.0.0")).result).toMatchObject({ ok: true });
    const current = await state();
    const other = createServer((socket) => socket.destroy());
    const otherPort = await freePort();
    await new Promise<void>((resolve) => other.listen(otherPort, "127.0.0.1", resolve));
    try {
      const lines: LogLine[] = [];
      const result = await commandProvider({
        command: process.execPath,
        args: [script],
        timeoutSeconds: 30,
        env: { GREENLIGHT_PORT: String(otherPort), GREENLIGHT_DATA_DIR: dataDir },
      }).deploy(context("2.0.0", "1.0.0"), (line) => {
        lines.push(line);
      });
      expect(result).toMatchObject({ ok: false, reason: "exited with code 1" });
      expect(lines.map((l) => l.text).join("\n")).toMatch(/service exited .* before it was healthy: .*EADDRINUSE/);
      // the instance it tried to replace was stopped first: a failed deploy leaves nothing running
      expect(running(current.pid)).toBe(false);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
  /** The provider as the demo preset configures it: no GREENLIGHT_PORT, the data folder of `dir`. */
  async function deployIn(dir: string, version: string, previous?: string) {
    const lines: LogLine[] = [];
    const result = await commandProvider({
      command: process.execPath,
      args: [script],
      timeoutSeconds: 30,
      env: { GREENLIGHT_DATA_DIR: dir },
    }).deploy(context(version, previous), (line) => {
      lines.push(line);
    });
    return { result, text: lines.map((l) => l.text) };
  }

  async function newDataDir() {
    const dir = await mkdtemp(path.join(tmpdir(), "greenlight-demo-deploy-other-"));
    otherDirs.push(dir);
    return dir;
  }

  it("without GREENLIGHT_PORT, keeps its port across deploys, and takes a free one when that port is taken", async () => {
    const dir = await newDataDir();
    const first = await deployIn(dir, "1.0.0");
    expect(first.result, first.text.join("\n")).toMatchObject({ ok: true });
    const v1 = await stateIn(dir);
    expect(v1).toMatchObject({ version: "1.0.0", url: `http://127.0.0.1:${v1.port}/` });
    expect((await healthOf(v1.url)).version).toBe("1.0.0");

    // a redeploy stops the old instance first and starts the new one on the same port
    const second = await deployIn(dir, "1.1.0", "1.0.0");
    expect(second.result, second.text.join("\n")).toMatchObject({ ok: true });
    const v2 = await stateIn(dir);
    expect(v2.port).toBe(v1.port);
    expect(running(v1.pid)).toBe(false);
    expect((await healthOf(v2.url)).version).toBe("1.1.0");

    // meanwhile something else took that port: the next deploy moves, and records where
    process.kill(v2.pid, "SIGTERM");
    while (running(v2.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    const squatter = await occupy(v2.port);
    try {
      const third = await deployIn(dir, "1.2.0", "1.1.0");
      expect(third.result, third.text.join("\n")).toMatchObject({ ok: true });
      const v3 = await stateIn(dir);
      expect(v3.port).not.toBe(v2.port);
      expect(v3.url).toBe(`http://127.0.0.1:${v3.port}/`);
      expect(third.text).toContain(`healthy: http://127.0.0.1:${v3.port}/healthz reports 1.2.0`);
      expect((await healthOf(v3.url)).version).toBe("1.2.0");
    } finally {
      await squatter.close();
    }
  });

  it("two checkouts deploying the same application and environment at once each get a service of their own", async () => {
    const [a, b] = [await newDataDir(), await newDataDir()];
    const [left, right] = await Promise.all([deployIn(a, "3.0.0"), deployIn(b, "3.1.0")]);
    expect(left.result, left.text.join("\n")).toMatchObject({ ok: true });
    expect(right.result, right.text.join("\n")).toMatchObject({ ok: true });
    const [sa, sb] = [await stateIn(a), await stateIn(b)];
    expect(sa.port).not.toBe(sb.port);
    expect(sa.pid).not.toBe(sb.pid);
    expect(await healthOf(sa.url)).toMatchObject({ version: "3.0.0", app: "storefront", environment: "staging" });
    expect(await healthOf(sb.url)).toMatchObject({ version: "3.1.0", app: "storefront", environment: "staging" });

    // a redeploy in one checkout replaces its own service only
    const again = await deployIn(a, "3.0.1", "3.0.0");
    expect(again.result, again.text.join("\n")).toMatchObject({ ok: true });
    expect(running(sa.pid)).toBe(false);
    expect(running(sb.pid)).toBe(true);
    expect((await healthOf(sb.url)).version).toBe("3.1.0");
  });
});
