// The demo preset's deploy script, run by the `command` provider as
// `node lib/deploy/demo/deploy.mjs` with the GREENLIGHT_* variables. It really deploys, with
// both colours: per application × environment it runs a blue and a green service
// (service.mjs, each serving its version on a port of its own) and a proxy in front
// (proxy.mjs) that holds the environment's stable URL, splits traffic between the colours by
// the current percentage and exposes Prometheus metrics at /metrics.
//
// GREENLIGHT_ACTION:
// - deploy: (re)starts the colour GREENLIGHT_COLOR (the idle one when unset) with
//   GREENLIGHT_VERSION and succeeds once it answers /healthz with that version. Traffic stays on
//   the other colour; for GREENLIGHT_STRATEGY=direct it then takes 100 %.
// - traffic: sends GREENLIGHT_TRAFFIC_PERCENT % of requests to GREENLIGHT_COLOR, the rest to
//   the other colour (refused when that colour does not run GREENLIGHT_VERSION).
// - rollback: sends all traffic back to GREENLIGHT_PREVIOUS_COLOR (or, without it, the colour
//   not named by GREENLIGHT_COLOR), first restarting it with GREENLIGHT_VERSION (the version to
//   go back to) if it does not run that version any more.
// - version: prints the version of the colour taking most traffic, asked over HTTP through the
//   proxy (ties go to the colour traffic is moving to).
//
// Every step that succeeds ends by telling Greenlight where the release runs, in the command
// provider's machine-readable lines: `greenlight: url=<the proxy's URL>` and, after a deploy to
// a colour that takes no traffic yet, `greenlight: preview-url=<that colour's own URL>`, which
// Greenlight's smoke check probes before moving any traffic.
//
// A release the demo marks bad, a version containing "-bad" or listed in
// GREENLIGHT_DEMO_BAD_VERSIONS (comma-separated), answers 500 to most requests but passes
// /healthz: only the error rate in the proxy's metrics gives it away.
//
// Everything is recorded in <GREENLIGHT_DATA_DIR>/demo-services/<app>--<env>.json: the proxy
// (pid, port, url: the environment's URL), the version taking most traffic, the split
// (`traffic`) and each colour's service (`colors`). The proxy reads the split from that file
// when deploy.mjs asks it to (POST /_greenlight/reload). Stopping is recorded there too.
//
// Ports: GREENLIGHT_PORT, when set, is the proxy's port, and a deploy fails if it is taken.
// Otherwise the proxy keeps the port it had and, on a first deploy or when that one is taken (by
// another checkout's demo, say), lets the system pick a free one (port 0), which it records. A
// colour's service takes a free port on each deploy, and tries the one it had first when
// start-all brings it back. Each process binds and reports the port it got, so two checkouts
// never race for one between a check and a bind. The services watch the proxy and stop when it
// is gone; the proxy watches the Greenlight that owns the folder (processes.mjs).
//
// Greenlight's launcher (`npm start`: lib/cli/start.ts, through lib/cli/demo-services.ts and
// ./lifecycle.ts) runs two more actions on a whole services folder (GREENLIGHT_APP and
// GREENLIGHT_ENV unused):
// - start-all: records DEMO_OWNER_PID as the folder's owner (processes.mjs; refused, changing
//   nothing, while another live Greenlight owns it), then restarts what the state files say
//   should run (those of DEMO_RESTORE, a JSON list of { app, env }, or all): the proxy on its
//   port (another free one if it is taken) and every recorded colour with its version, commit
//   and the split as it was. Each application × environment ends with a line
//   `greenlight: restored={json}` (its URL and its colours' URLs, before and now) or
//   `greenlight: restore-failed={json}`.
// - stop-all: stops every process the demo started for the folder (each recorded proxy and
//   colour, and any other proxy or service of this checkout whose state file is there) and waits
//   until they are gone; the state files keep what ran (pids cleared, `stoppedAt` set) for the
//   next start-all. Refused, changing nothing, when DEMO_OWNER_PID is given and another live
//   Greenlight owns the folder. Ends with `greenlight: stopped=<pids>`.
//
// Plain JavaScript with no dependencies, so it runs under bare `node` without the app's build.
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alive, cmdlineOf, ownerAlive, readOwner, removeOwner, writeOwner } from "./processes.mjs";

const HEALTH_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const COLORS = ["blue", "green"];
const script = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));
// absolute: a process runs ours only if its command line names this checkout's file
const PROXY = script("proxy.mjs");
const SERVICE = script("service.mjs");
/** application × environment folders restored at once by start-all */
const RESTORE_CONCURRENCY = 4;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const other = (color) => (color === "blue" ? "green" : "blue");

function fail(message) {
  console.error(`deploy failed: ${message}`);
  process.exit(1);
}

/** The ports the proxy tries in turn: GREENLIGHT_PORT alone, or its last port, then any (0). */
function candidatePorts(explicit, previous) {
  if (explicit !== null) return [explicit];
  return [...new Set([previous].filter((p) => Number.isInteger(p) && p > 0 && p <= 65535)), 0];
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

/** Guards against pid reuse: where /proc exists, only a process running `file` is ours. */
function isOurs(pid, file) {
  if (!alive(pid)) return false;
  const cmdline = cmdlineOf(pid);
  return cmdline === null || cmdline.includes(file);
}

/**
 * Stops a recorded process (SIGTERM, then SIGKILL after 5 s), waits until it is gone and says
 * so; `what` names it in the log. Returns its pid when it was running.
 */
async function stopProcess(record, file, what) {
  if (!record) return null;
  const { pid } = record;
  if (!isOurs(pid, file)) {
    console.log(`${what} is no longer running`);
    return null;
  }
  console.log(`stopping ${what}: pid ${pid}`);
  await stopPid(pid);
  console.log(`${what} stopped`);
  return pid;
}

async function stopPid(pid) {
  const signal = (name) => {
    try {
      process.kill(pid, name);
    } catch {
      // gone meanwhile
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    console.log(`pid ${pid} ignored SIGTERM for ${STOP_TIMEOUT_MS / 1000} s: sending SIGKILL`);
    signal("SIGKILL");
    const killed = Date.now() + STOP_TIMEOUT_MS;
    while (alive(pid) && Date.now() < killed) await sleep(50);
    if (alive(pid)) throw new Error(`pid ${pid} is still there after SIGKILL`);
  }
}

/** GET `url` as JSON within a second (or POST), or null when it does not answer 2xx. */
async function health(url, init = {}, timeoutMs = 1000) {
  const controller = new AbortController();
  // a ref'd timer, not AbortSignal.timeout: when a peer resets the connection, Node 20's fetch
  // can leave its promise pending with nothing keeping the process alive, and the script would
  // silently exit 0 mid-deploy
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await Promise.race([
      fetch(url, { ...init, signal: controller.signal }),
      sleep(timeoutMs).then(() => null),
    ]);
    return res?.ok ? await res.json() : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * Starts `file` detached (its own process group, no pipes to us: it outlives this script and
 * the provider's timeout, which stops this script's group only), and waits until it reported its
 * port over IPC and `ready(url)` holds. `onPort` records the port as soon as it is known.
 */
async function startDetached({ file, env, logFile, what, ready, onStart, onPort }) {
  const logFd = openSync(logFile, "a");
  const child = spawn(process.execPath, [file], {
    detached: true,
    stdio: ["ignore", logFd, logFd, "ipc"],
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  closeSync(logFd);
  let exited = null;
  let port = null;
  child.on("exit", (code, signal) => (exited = signal ?? `code ${code}`));
  child.on("message", (message) => {
    if (Number.isInteger(message?.port)) port = message.port;
    if (child.connected) child.disconnect();
  });
  // recorded before waiting, so the next deploy can stop it even if this one is killed
  onStart(child.pid);
  console.log(`started ${what}: pid ${child.pid}, trying ports ${env.DEMO_SERVICE_PORTS}`);
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let url = null;
  for (;;) {
    if (exited !== null) {
      const tail = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-3).join(" | ");
      throw new Error(`${what} exited (${exited}) before it was healthy: ${tail}`);
    }
    if (url === null && port !== null) {
      url = `http://127.0.0.1:${port}/`;
      onPort(port, url);
      console.log(`${what} listens on ${url}`);
    }
    if (url !== null && (await ready(url))) break;
    if (Date.now() > deadline)
      throw new Error(
        `${what} ${url === null ? "did not report a port" : "was not healthy"} within ${HEALTH_TIMEOUT_MS / 1000} s`,
      );
    await sleep(100);
  }
  child.unref();
  return { pid: child.pid, port, url };
}

class Demo {
  constructor(dir, app, env) {
    this.dir = dir;
    this.app = app;
    this.env = env;
    this.name = `${app}--${env}`;
    this.stateFile = path.join(dir, `${this.name}.json`);
    this.state = null;
  }

  save() {
    const t = this.state.traffic;
    const serving = t.percent >= 50 ? t.color : other(t.color);
    this.state.app = this.app;
    this.state.environment = this.env;
    this.state.version = this.state.colors[serving]?.version ?? null;
    this.state.commit = this.state.colors[serving]?.commit ?? null;
    writeState(this.stateFile, this.state);
  }

  async load() {
    const previous = readState(this.stateFile);
    if (previous && !previous.colors && Number.isInteger(previous.pid)) {
      // written by the single-service demo of earlier versions: its service has no proxy in front
      await stopProcess(previous, SERVICE, `the earlier single service (version ${previous.version ?? "unknown"})`);
      this.state = null;
    } else this.state = previous;
    this.state ??= { pid: null, port: null, url: null, traffic: { color: "blue", percent: 100 }, colors: {} };
    this.state.colors ??= {};
    this.state.traffic ??= { color: "blue", percent: 100 };
  }

  running(color) {
    const c = this.state.colors[color];
    return c && c.url && isOurs(c.pid, SERVICE) ? c : null;
  }

  /** The proxy, started (or restarted on GREENLIGHT_PORT) when it does not run. */
  async ensureProxy(explicit) {
    const s = this.state;
    // a proxy that runs but answers slowly (a busy machine) is not restarted: that would stop
    // both colours, the one just deployed with them. Its process is asked three times, longer each.
    let up = false;
    if (isOurs(s.pid, PROXY) && s.url)
      for (const wait of [1000, 3000, 6000]) {
        if ((await health(`${s.url}_greenlight/status`, {}, wait)) !== null) {
          up = true;
          break;
        }
        if (!isOurs(s.pid, PROXY)) break;
      }
    if (up && (explicit === null || explicit === s.port)) return;
    if (isOurs(s.pid, PROXY)) await stopProcess({ pid: s.pid }, PROXY, `the proxy on port ${s.port}`);
    // its services stop with it: say so now rather than leave them recorded as running
    for (const color of COLORS) {
      const c = s.colors[color];
      if (c?.pid) await stopProcess(c, SERVICE, `${color} (version ${c.version ?? "unknown"})`);
      delete s.colors[color];
    }
    const ports = candidatePorts(explicit, s.port);
    Object.assign(s, { pid: null, url: null });
    delete s.stoppedAt;
    this.save();
    await startDetached({
      file: PROXY,
      what: `the proxy of ${this.app} in ${this.env}`,
      logFile: path.join(this.dir, `${this.name}.log`),
      env: {
        GREENLIGHT_APP: this.app,
        GREENLIGHT_ENV: this.env,
        DEMO_STATE_FILE: this.stateFile,
        DEMO_SERVICE_PORTS: ports.join(","),
      },
      onStart: (pid) => {
        s.pid = pid;
        this.save();
      },
      onPort: (port, url) => {
        Object.assign(s, { port, url });
        this.save();
      },
      ready: async (url) => (await health(`${url}_greenlight/status`))?.app === this.app,
    });
  }

  /** Replaces the service of `color` with one serving `version`, and waits until it is healthy. */
  async startColor(color, version, commit, traffic = this.state.traffic) {
    const s = this.state;
    // the colour being replaced takes no traffic meanwhile, if the other can take it
    if (this.share(color) > 0 && this.running(other(color))) await this.route({ color, percent: 0 });
    const old = s.colors[color];
    if (old) await stopProcess(old, SERVICE, `${color} (version ${old.version ?? "unknown"})`);
    delete s.colors[color];
    this.save();
    const bad =
      version.includes("-bad") ||
      (process.env.GREENLIGHT_DEMO_BAD_VERSIONS ?? "")
        .split(/[,\s]+/)
        .filter(Boolean)
        .includes(version);
    if (bad) console.log(`${version} is marked bad in the demo: it will answer 500 to most requests`);
    // on any free port: the old one may still be closing
    await this.startService(color, { version, commit, bad }, null);
    await this.route(traffic);
  }

  /** Starts the service of `color` (which must not run) and waits until it is healthy. */
  async startService(color, { version, commit, bad }, previousPort) {
    const s = this.state;
    const record = { pid: null, port: null, url: null, version, commit, bad, startedAt: new Date().toISOString() };
    await startDetached({
      file: SERVICE,
      what: `${color} ${version}`,
      logFile: path.join(this.dir, `${this.name}--${color}.log`),
      env: {
        GREENLIGHT_APP: this.app,
        GREENLIGHT_ENV: this.env,
        GREENLIGHT_VERSION: version,
        GREENLIGHT_COMMIT: commit ?? "",
        GREENLIGHT_COLOR: color,
        DEMO_BAD: bad ? "1" : "0",
        DEMO_PROXY_PID: String(s.pid),
        // unused by the service: it lets stop-all find it by its folder (sweep)
        DEMO_STATE_FILE: this.stateFile,
        DEMO_SERVICE_PORTS: candidatePorts(null, previousPort).join(","),
      },
      onStart: (pid) => {
        s.colors[color] = { ...record, pid };
        this.save();
      },
      onPort: (port, url) => {
        Object.assign(s.colors[color], { port, url });
        this.save();
      },
      ready: async (url) => (await health(`${url}healthz`))?.version === version,
    });
    console.log(`healthy: ${color} ${s.colors[color].url}healthz reports ${version}`);
  }

  share(color) {
    const t = this.state.traffic;
    return t.color === color ? t.percent : 100 - t.percent;
  }

  /** Records the split and has the proxy read it; fails unless the proxy confirms it. */
  async route(traffic) {
    this.state.traffic = traffic;
    this.save();
    const answer = await health(`${this.state.url}_greenlight/reload`, { method: "POST" });
    if (!answer) throw new Error(`the proxy at ${this.state.url} did not take the new split`);
    const moved = COLORS.map((c) => `${answer.colors[c].percent}% to ${c} (${answer.colors[c].version ?? "nothing"})`);
    console.log(`traffic: ${moved.join(", ")}`);
  }

  /**
   * start-all: brings back what the state file says ran here, the proxy (on its port if free)
   * and each recorded colour with its version, under the split as it was. What still runs is
   * kept. Returns the URLs before and after, or null when nothing was ever deployed here.
   */
  async restore() {
    await this.load();
    const s = this.state;
    const recorded = Object.fromEntries(COLORS.filter((c) => s.colors[c]?.version).map((c) => [c, { ...s.colors[c] }]));
    if (Object.keys(recorded).length === 0) return null;
    const traffic = { ...s.traffic };
    const before = { url: s.url, colors: Object.fromEntries(COLORS.map((c) => [c, recorded[c]?.url ?? null])) };
    try {
      await this.ensureProxy(null);
      for (const color of COLORS) {
        const was = recorded[color];
        if (!was) continue;
        const now = this.running(color);
        if (now?.version === was.version) continue;
        if (now) await stopProcess(now, SERVICE, `${color} (version ${now.version ?? "unknown"})`);
        await this.startService(color, was, was.port);
      }
    } catch (e) {
      // what should run stays recorded for the next start, even if it could not start now
      for (const color of COLORS)
        if (recorded[color] && !this.running(color)) s.colors[color] = { ...recorded[color], pid: null };
      s.traffic = traffic;
      this.save();
      throw e;
    }
    await this.route(traffic);
    const colors = {};
    for (const color of COLORS)
      if (recorded[color])
        colors[color] = {
          version: s.colors[color].version,
          url: s.colors[color].url,
          previousUrl: before.colors[color],
        };
    return {
      app: this.app,
      env: this.env,
      url: s.url,
      previousUrl: before.url,
      version: s.version,
      traffic,
      colors,
    };
  }

  /** stop-all, for this state file: stops the proxy and the colours, keeping what they ran. */
  async stop() {
    const s = readState(this.stateFile);
    if (!s) return [];
    if (!s.colors) {
      // the single service of earlier versions
      const pid = await stopProcess(s.pid ? s : null, SERVICE, `the earlier single service of ${this.name}`);
      return pid === null ? [] : [pid];
    }
    const stopped = await Promise.all([
      stopProcess(s.pid ? { pid: s.pid } : null, PROXY, `the proxy of ${this.app} in ${this.env}`),
      ...COLORS.map((c) =>
        stopProcess(s.colors[c]?.pid ? s.colors[c] : null, SERVICE, `${c} (version ${s.colors[c]?.version})`),
      ),
    ]);
    s.pid = null;
    for (const c of COLORS) if (s.colors[c]) s.colors[c].pid = null;
    s.stoppedAt = new Date().toISOString();
    writeState(this.stateFile, s);
    return stopped.filter((pid) => pid !== null);
  }
}

function colorFrom(name, required) {
  const value = process.env[name] ?? "";
  if (value === "" && !required) return null;
  if (!COLORS.includes(value)) fail(`${name} must be blue or green, not "${value}"`);
  return value;
}

async function main() {
  const action = process.env.GREENLIGHT_ACTION ?? "deploy";
  const dir = path.resolve(process.env.GREENLIGHT_DATA_DIR ?? ".data", "demo-services");
  if (action === "start-all") return startAll(dir);
  if (action === "stop-all") return stopAll(dir);
  const app = process.env.GREENLIGHT_APP ?? "";
  const env = process.env.GREENLIGHT_ENV ?? "";
  const version = process.env.GREENLIGHT_VERSION ?? "";
  const commit = process.env.GREENLIGHT_COMMIT ?? "";
  const strategy = process.env.GREENLIGHT_STRATEGY ?? "direct";
  if (!KEY.test(app)) fail(`GREENLIGHT_APP is missing or not a plain key: "${app}"`);
  if (!KEY.test(env)) fail(`GREENLIGHT_ENV is missing or not a plain key: "${env}"`);
  if (action === "version") return reportVersion(dir, app, env);
  if (!["deploy", "traffic", "rollback"].includes(action)) fail(`unknown GREENLIGHT_ACTION "${action}"`);
  if (!version && action !== "rollback") fail("GREENLIGHT_VERSION is missing");
  const explicit = process.env.GREENLIGHT_PORT ? Number(process.env.GREENLIGHT_PORT) : null;
  if (explicit !== null && (!Number.isInteger(explicit) || explicit < 1 || explicit > 65535))
    fail(`GREENLIGHT_PORT is not a port: "${process.env.GREENLIGHT_PORT}"`);
  const percentText = process.env.GREENLIGHT_TRAFFIC_PERCENT ?? "";
  const percent = Number(percentText);
  if (action === "traffic" && (!/^\d+$/.test(percentText) || percent > 100))
    fail(`GREENLIGHT_TRAFFIC_PERCENT must be a whole number from 0 to 100, not "${percentText}"`);
  const color = colorFrom("GREENLIGHT_COLOR", action === "traffic");
  const previousColor = colorFrom("GREENLIGHT_PREVIOUS_COLOR", false);

  mkdirSync(dir, { recursive: true });
  const demo = new Demo(dir, app, env);
  await demo.load();
  await demo.ensureProxy(explicit);
  const s = demo.state;
  const serving = () => (demo.share(s.traffic.color) >= 50 ? s.traffic.color : other(s.traffic.color));
  let deployed = null;

  if (action === "deploy") {
    // the idle colour by default: the one not taking most traffic (blue on a first deploy)
    const target = color ?? (s.colors[serving()] ? other(serving()) : serving());
    deployed = target;
    console.log(
      `deploying ${app} ${version}${commit ? ` (${commit.slice(0, 12)})` : ""} to ${env}, ${target} (${strategy})`,
    );
    await demo.startColor(target, version, commit, { color: target, percent: strategy === "direct" ? 100 : 0 });
  } else if (action === "traffic") {
    const c = demo.running(color);
    if (!c && percent > 0) fail(`${color} is not running: deploy ${version} to ${color} first`);
    if (c && c.version !== version)
      fail(`${color} runs ${c.version}, not ${version}: deploy ${version} to ${color} first`);
    if (percent < 100 && !demo.running(other(color)))
      console.log(`warning: ${other(color)} runs nothing, so its ${100 - percent}% of requests go to ${color}`);
    await demo.route({ color, percent });
  } else {
    const target =
      previousColor ??
      (color ? other(color) : (COLORS.find((c) => demo.running(c)?.version === version) ?? other(serving())));
    console.log(`rolling ${app} in ${env} back to ${version || "what runs on " + target} on ${target}`);
    const c = demo.running(target);
    if (!c && !version) fail(`${target} is not running and GREENLIGHT_VERSION names no version to go back to`);
    if (!c || (version && c.version !== version))
      await demo.startColor(target, version, commit, { color: target, percent: 100 });
    else await demo.route({ color: target, percent: 100 });
  }
  console.log(`${app} in ${env} at ${s.url} serves ${s.version} from ${serving()}`);
  console.log(`greenlight: url=${s.url}`);
  // the colour just deployed, reachable on its own while the proxy sends it nothing
  if (action === "deploy" && strategy !== "direct") console.log(`greenlight: preview-url=${s.colors[deployed].url}`);
}

/**
 * GREENLIGHT_ACTION=version: asks, through the proxy, the colour taking most traffic what it
 * serves (its /healthz), and prints that version as the last line. Fails when nothing was
 * deployed here or nothing answers: then nobody knows, and Greenlight must not guess.
 */
async function reportVersion(dir, app, env) {
  const state = readState(path.join(dir, `${app}--${env}.json`));
  if (!state) fail(`nothing was deployed to ${app} in ${env} here`);
  if (!state.url) fail(`the proxy of ${app} in ${env} never reported its port`);
  const t = state.traffic ?? { color: "blue", percent: 100 };
  const serving = t.percent >= 50 ? t.color : other(t.color);
  const body = await health(`${state.url}healthz`, { headers: { "x-greenlight-color": serving } });
  if (!body) fail(`${state.url}healthz does not answer (asked ${serving}, which takes most traffic)`);
  if (body.app !== app || body.environment !== env)
    fail(`${state.url} serves ${body.app} in ${body.environment}, not ${app} in ${env}`);
  console.log(`${state.url}healthz (${serving}) reports version:`);
  console.log(body.version);
}

/** DEMO_OWNER_PID, or null; and whether another live Greenlight owns `dir` (then: hands off). */
function ownership(dir) {
  const text = process.env.DEMO_OWNER_PID ?? "";
  if (text === "") return { pid: null, other: null };
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) fail(`DEMO_OWNER_PID is not a pid: "${text}"`);
  const current = readOwner(dir);
  const other = current && current.pid !== pid && ownerAlive(current) ? current : null;
  if (other) {
    console.log(`the demo's services in ${dir} belong to the Greenlight running as pid ${other.pid}: left to it`);
    console.log(`greenlight: owner=${other.pid}`);
  }
  return { pid, other };
}

/** The state files of `dir`, as { app, env } (recorded in the file, else read from its name). */
function recordedPairs(dir) {
  if (!existsSync(dir)) return [];
  const pairs = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".json")) continue;
    const state = readState(path.join(dir, name));
    if (!state || typeof state !== "object") continue;
    const parts = name.slice(0, -".json".length).split("--");
    const app = typeof state.app === "string" ? state.app : parts.length === 2 ? parts[0] : null;
    const env = typeof state.environment === "string" ? state.environment : parts.length === 2 ? parts[1] : null;
    if (app && env && KEY.test(app) && KEY.test(env) && `${app}--${env}.json` === name) pairs.push({ app, env });
  }
  return pairs;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited(items, limit, work) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

async function startAll(dir) {
  mkdirSync(dir, { recursive: true });
  const owner = ownership(dir);
  if (owner.other) return;
  if (owner.pid !== null) writeOwner(dir, owner.pid);
  let pairs;
  if (process.env.DEMO_RESTORE) {
    try {
      pairs = JSON.parse(process.env.DEMO_RESTORE);
    } catch {
      fail("DEMO_RESTORE is not JSON");
    }
    if (!Array.isArray(pairs) || !pairs.every((p) => KEY.test(p?.app ?? "") && KEY.test(p?.env ?? "")))
      fail('DEMO_RESTORE must be a JSON list of { "app": …, "env": … } with plain keys');
  } else pairs = recordedPairs(dir);
  await eachLimited(pairs, RESTORE_CONCURRENCY, async ({ app, env }) => {
    try {
      const restored = await new Demo(dir, app, env).restore();
      if (restored) console.log(`greenlight: restored=${JSON.stringify(restored)}`);
    } catch (e) {
      console.log(`greenlight: restore-failed=${JSON.stringify({ app, env, reason: e.message ?? String(e) })}`);
    }
  });
}

/**
 * Processes of this checkout's proxy or service whose state file is in `dir` (Linux: read from
 * /proc): what a deploy cut off before it recorded a pid may have left.
 */
function strays(dir) {
  if (!existsSync("/proc/self/environ")) return [];
  const found = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = cmdlineOf(pid) ?? "";
    if (!cmdline.includes(PROXY) && !cmdline.includes(SERVICE)) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (env.some((v) => v.startsWith(`DEMO_STATE_FILE=${dir}${path.sep}`)) && alive(pid)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

async function stopAll(dir) {
  const owner = ownership(dir);
  if (owner.other) return;
  const pairs = recordedPairs(dir);
  // looked for first, while all still run (a service also stops by itself once its proxy is gone)
  const recorded = new Set(
    pairs.flatMap(({ app, env }) => {
      const s = readState(path.join(dir, `${app}--${env}.json`));
      return [s?.pid, ...COLORS.map((c) => s?.colors?.[c]?.pid)].filter(Number.isInteger);
    }),
  );
  const left = strays(dir).filter((pid) => !recorded.has(pid));
  if (left.length) console.log(`stopping ${left.length} unrecorded demo process(es): ${left.join(", ")}`);
  const [stopped] = await Promise.all([
    Promise.all(pairs.map(({ app, env }) => new Demo(dir, app, env).stop())),
    Promise.all(left.map(stopPid)),
  ]);
  if (existsSync(dir)) removeOwner(dir);
  console.log(`greenlight: stopped=${[...stopped.flat(), ...left].join(",")}`);
}

main().then(
  () => process.exit(0),
  (e) => fail(e instanceof Error ? e.message : String(e)),
);
