// The demo preset's deploy script, run by the `command` provider as
// `node lib/deploy/demo/deploy.mjs` with the GREENLIGHT_* variables. It really deploys: it
// replaces the tiny HTTP service of (application, environment) with one serving the new version
// on a local port, and succeeds only once that service answers /healthz with the new version.
//
// Ports: GREENLIGHT_PORT, when set, is the port, and a deploy fails if it is taken. Otherwise
// the service keeps the port it had (recorded in <GREENLIGHT_DATA_DIR>/demo-services/), or
// starts on one derived from the services folder, the application and the environment; when
// that one is taken — by another checkout's services, say, deploying at the same moment — it
// lets the system pick a free one. The service itself binds and reports the port it got, so
// two checkouts never race for one between a check and a bind.
//
// Plain JavaScript with no dependencies, so it runs under bare `node` without the app's build.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HEALTH_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function fail(message) {
  console.error(`deploy failed: ${message}`);
  process.exit(1);
}

const FIRST_PORT = 20_000;
const PORTS = 10_000;

/**
 * FNV-1a of the services folder, application and environment: a stable first choice, different
 * for each checkout (or data folder) so that several rarely start on the same ports. Below
 * Linux's ephemeral range (32768 and up), where the system hands out ports to clients.
 */
function preferredPort(dir, app, env) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${dir}\0${app}/${env}`)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return FIRST_PORT + (hash % PORTS);
}

/** The ports the service tries in turn: GREENLIGHT_PORT alone, or its last port, the preferred one, then any (0). */
function candidatePorts(explicit, previous, preferred) {
  if (explicit !== null) return [explicit];
  return [...new Set([previous, preferred].filter((p) => Number.isInteger(p) && p > 0 && p <= 65535)), 0];
}

function readState(stateFile) {
  if (!existsSync(stateFile)) return null;
  try {
    return JSON.parse(readFileSync(stateFile, "utf8"));
  } catch {
    console.log(`ignoring unreadable state file ${stateFile}`);
    return null;
  }
}

function writeState(stateFile, state) {
  writeFileSync(`${stateFile}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${stateFile}.tmp`, stateFile);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Guards against pid reuse: where /proc exists, only a process running our service is ours. */
function isOurService(pid) {
  if (!alive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync("/proc/self/cmdline")) return true;
  try {
    return readFileSync(cmdline, "utf8").includes("service.mjs");
  } catch {
    return false;
  }
}

async function stopPrevious(previous) {
  if (!previous) return;
  const { pid, version } = previous;
  if (!Number.isInteger(pid) || !isOurService(pid)) {
    console.log(`previous instance (version ${version ?? "unknown"}) is no longer running`);
    return;
  }
  console.log(`stopping previous instance: pid ${pid}, version ${version ?? "unknown"}`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    console.log(`pid ${pid} ignored SIGTERM for ${STOP_TIMEOUT_MS / 1000} s: sending SIGKILL`);
    process.kill(pid, "SIGKILL");
    while (alive(pid)) await sleep(50);
  }
  console.log("previous instance stopped");
}

async function health(url) {
  const controller = new AbortController();
  // a ref'd timer, not AbortSignal.timeout: when a peer resets the connection, Node 20's fetch
  // can leave its promise pending with nothing keeping the process alive, and the script would
  // silently exit 0 mid-deploy
  const timer = setTimeout(() => controller.abort(), 1000);
  try {
    const res = await Promise.race([fetch(url, { signal: controller.signal }), sleep(1000).then(() => null)]);
    return res?.ok ? await res.json() : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function main() {
  const app = process.env.GREENLIGHT_APP ?? "";
  const env = process.env.GREENLIGHT_ENV ?? "";
  const version = process.env.GREENLIGHT_VERSION ?? "";
  const commit = process.env.GREENLIGHT_COMMIT ?? "";
  const action = process.env.GREENLIGHT_ACTION ?? "deploy";
  if (!KEY.test(app)) fail(`GREENLIGHT_APP is missing or not a plain key: "${app}"`);
  if (!KEY.test(env)) fail(`GREENLIGHT_ENV is missing or not a plain key: "${env}"`);
  if (!version) fail("GREENLIGHT_VERSION is missing");

  if (action === "traffic") {
    // one instance serves everything: there is no split to move, so every step is already done
    console.log(`traffic to ${process.env.GREENLIGHT_TRAFFIC_PERCENT ?? "?"}%: the demo service takes it all at once`);
    return;
  }
  if (action !== "deploy" && action !== "rollback") fail(`unknown GREENLIGHT_ACTION "${action}"`);

  const explicit = process.env.GREENLIGHT_PORT ? Number(process.env.GREENLIGHT_PORT) : null;
  if (explicit !== null && (!Number.isInteger(explicit) || explicit < 1 || explicit > 65535))
    fail(`GREENLIGHT_PORT is not a port: "${process.env.GREENLIGHT_PORT}"`);
  const dir = path.resolve(process.env.GREENLIGHT_DATA_DIR ?? ".data", "demo-services");
  mkdirSync(dir, { recursive: true });
  const name = `${app}--${env}`;
  const stateFile = path.join(dir, `${name}.json`);

  console.log(
    action === "rollback"
      ? `rolling ${app} in ${env} back to ${version}`
      : `deploying ${app} ${version}${commit ? ` (${commit.slice(0, 12)})` : ""} to ${env}`,
  );
  const previous = readState(stateFile);
  await stopPrevious(previous);
  const ports = candidatePorts(explicit, previous?.port, preferredPort(dir, app, env));

  const logFile = path.join(dir, `${name}.log`);
  const logFd = openSync(logFile, "a");
  const service = spawn(process.execPath, [fileURLToPath(new URL("./service.mjs", import.meta.url))], {
    // its own process group and no pipes to us: it outlives this script and the provider's
    // timeout, which stops this script's group only. The IPC channel only carries the port it
    // got; it is closed at once.
    detached: true,
    stdio: ["ignore", logFd, logFd, "ipc"],
    env: {
      PATH: process.env.PATH ?? "",
      GREENLIGHT_APP: app,
      GREENLIGHT_ENV: env,
      GREENLIGHT_VERSION: version,
      GREENLIGHT_COMMIT: commit,
      DEMO_SERVICE_PORTS: ports.join(","),
    },
  });
  closeSync(logFd);
  let exited = null;
  let port = null;
  service.on("exit", (code, signal) => (exited = signal ?? `code ${code}`));
  service.on("message", (message) => {
    if (Number.isInteger(message?.port)) port = message.port;
    if (service.connected) service.disconnect();
  });
  // written before waiting, so the next deploy can stop this instance even if this one is killed
  const state = { pid: service.pid, port: null, url: null, version, commit, startedAt: new Date().toISOString() };
  writeState(stateFile, state);
  console.log(`started service pid ${service.pid}, trying port${ports.length > 1 ? "s" : ""} ${ports.join(", ")}`);

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let url = null;
  for (;;) {
    if (exited !== null) {
      const tail = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-3).join(" | ");
      fail(`the service exited (${exited}) before it was healthy: ${tail}`);
    }
    if (url === null && port !== null) {
      url = `http://127.0.0.1:${port}/`;
      writeState(stateFile, { ...state, port, url });
      console.log(`service pid ${service.pid} listens on ${url}`);
    }
    const body = url === null ? null : await health(`${url}healthz`);
    if (body?.version === version) break;
    if (Date.now() > deadline) {
      fail(
        url === null
          ? `the service did not report a port within ${HEALTH_TIMEOUT_MS / 1000} s`
          : `${url}healthz did not report version ${version} within ${HEALTH_TIMEOUT_MS / 1000} s`,
      );
    }
    await sleep(200);
  }
  service.unref();
  console.log(`healthy: ${url}healthz reports ${version}`);
}

main().then(
  () => process.exit(0),
  (e) => fail(e instanceof Error ? e.message : String(e)),
);
