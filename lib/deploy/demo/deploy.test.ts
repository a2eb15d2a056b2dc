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
const stateFile = () => path.join(dataDir, "demo-services", "storefront--staging.json");

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

async function state(): Promise<{ pid: number; port: number; version: string; url: string }> {
  return JSON.parse(await readFile(stateFile(), "utf8")) as { pid: number; port: number; version: string; url: string };
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
  const last = await state().catch(() => null);
  if (last && running(last.pid)) process.kill(last.pid, "SIGTERM");
  await rm(dataDir, { recursive: true, force: true });
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
});
