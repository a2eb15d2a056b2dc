import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// A real Prometheus for tests (Debian's `prometheus` package): started on a free port of
// 127.0.0.1 with its own temporary configuration and storage, scraping the given targets every
// second, and returned only once it has scraped every one of them (it polls /api/v1/targets,
// no blind sleep). stop() ends it and removes its files.

export interface TestPrometheus {
  /** base URL, e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  /** resolves once every target was scraped after `since` (default now): fresh samples are in */
  scrapedAfter(since?: Date): Promise<void>;
  stop(): Promise<void>;
}

const BINARY_PATHS = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"];
const START_TIMEOUT_MS = 20_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function prometheusBinary(): string {
  const found = BINARY_PATHS.find((p) => existsSync(p));
  if (!found)
    throw new Error("prometheus is not installed: install Debian's prometheus package (apt-get install -y prometheus)");
  return found;
}

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

/** "127.0.0.1:8080" or "http://127.0.0.1:8080/metrics" → Prometheus's static target and path. */
function scrapeTarget(target: string): { address: string; metricsPath: string; scheme: string } {
  const url = new URL(/^[a-z]+:\/\//i.test(target) ? target : `http://${target}`);
  return {
    address: url.host,
    metricsPath: url.pathname === "/" ? "/metrics" : url.pathname,
    scheme: url.protocol.replace(":", ""),
  };
}

function config(targets: string[]): string {
  // one job per target: each may have its own metrics path
  const jobs = targets.map((t, i) => {
    const { address, metricsPath, scheme } = scrapeTarget(t);
    return [
      `  - job_name: target-${i}`,
      `    scheme: ${scheme}`,
      `    metrics_path: ${JSON.stringify(metricsPath)}`,
      `    static_configs:`,
      `      - targets: [${JSON.stringify(address)}]`,
    ].join("\n");
  });
  return `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs.join("\n")}\n`;
}

interface TargetsAnswer {
  data?: { activeTargets?: { health?: string; lastScrape?: string; lastError?: string; scrapeUrl?: string }[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPrometheus({ targets }: { targets: string[] }): Promise<TestPrometheus> {
  const binary = prometheusBinary();
  const dir = await mkdtemp(path.join(tmpdir(), "greenlight-prometheus-"));
  const configFile = path.join(dir, "prometheus.yml");
  await writeFile(configFile, config(targets));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  let output = "";
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // a test that throws before stop() must not leave a Prometheus behind
    process.on("exit", () => running.forEach((c) => c.kill("SIGKILL")));
  }
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited: string | null = null;
  const done = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = signal ?? `code ${code}`;
      running.delete(child);
      resolve();
    }),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited === null) {
      child.kill("SIGTERM");
      const killed = await Promise.race([done.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) {
        child.kill("SIGKILL");
        await done;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  /** Resolves once every target's last scrape is after `since` and was healthy. */
  const scrapedAfter = async (since = new Date()) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = "no answer from Prometheus yet";
    for (;;) {
      if (exited !== null) throw new Error(`prometheus exited (${exited}): ${output.trim()}`);
      try {
        const res = await fetch(`${url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as TargetsAnswer;
        const active = body.data?.activeTargets ?? [];
        const fresh = active.filter(
          (t) => t.health === "up" && t.lastScrape && Date.parse(t.lastScrape) > since.getTime(),
        );
        if (active.length === targets.length && fresh.length === targets.length) return;
        last = active.map((t) => `${t.scrapeUrl}: ${t.health}${t.lastError ? ` (${t.lastError})` : ""}`).join("; ");
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      if (Date.now() > deadline) {
        throw new Error(`prometheus did not scrape ${targets.join(", ")} within ${START_TIMEOUT_MS / 1000} s: ${last}`);
      }
      await sleep(100);
    }
  };

  try {
    await scrapedAfter(new Date(0));
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, scrapedAfter, stop };
}
