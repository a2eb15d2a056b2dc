import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The demo deploy script's folder-wide actions, for the Greenlight launcher that owns its services
// (lib/cli/demo-services.ts, called by `npm start`): which deploy target config runs the demo
// script and where its services folder is (demoServicesDir), and start-all / stop-all on a
// folder (deploy.mjs explains both). The processes are the script's business; this side knows no
// database (lib/deploy/** never does): the launcher reads the targets and records moved URLs.

export const DEMO_DEPLOY_SCRIPT = fileURLToPath(new URL("./deploy.mjs", import.meta.url));

/** how long start-all and stop-all may take before they are stopped (a stop waits 5 s per process at most) */
const SCRIPT_TIMEOUT_MS = 120_000;

const real = (file: string) => {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
};

export interface DemoTarget {
  app: string;
  env: string;
  /** the services folder, absolute */
  dir: string;
}

/**
 * The services folder of a command target's config when it runs the demo deploy script
 * (`node [node options] lib/deploy/demo/deploy.mjs`), else null: under the target's own
 * GREENLIGHT_DATA_DIR when its config sets one, else under Greenlight's data folder, which the
 * command provider passes to every command (lib/deploy/command/provider.ts).
 */
export function demoServicesDir(
  config: unknown,
  cwd = process.cwd(),
  dataDir = process.env.GREENLIGHT_DATA_DIR || ".data",
): string | null {
  if (!config || typeof config !== "object") return null;
  const c = config as { command?: unknown; args?: unknown; cwd?: unknown; env?: unknown };
  if (typeof c.command !== "string" || !/^node(\.exe)?$/.test(path.basename(c.command))) return null;
  const args = Array.isArray(c.args) ? c.args : [];
  const scriptArg = args.find((a): a is string => typeof a === "string" && !a.startsWith("-"));
  if (!scriptArg) return null;
  const base = path.resolve(cwd, typeof c.cwd === "string" ? c.cwd : ".");
  if (real(path.resolve(base, scriptArg)) !== real(DEMO_DEPLOY_SCRIPT)) return null;
  const env = c.env && typeof c.env === "object" ? (c.env as Record<string, unknown>) : {};
  if (typeof env.GREENLIGHT_DATA_DIR === "string") return path.resolve(base, env.GREENLIGHT_DATA_DIR, "demo-services");
  return path.resolve(cwd, dataDir, "demo-services");
}

export interface RestoredColor {
  version: string;
  url: string;
  previousUrl: string | null;
}

/** What start-all brought back for one application × environment (deploy.mjs `restored=`). */
export interface Restored {
  app: string;
  env: string;
  url: string;
  previousUrl: string | null;
  version: string | null;
  traffic: { color: "blue" | "green"; percent: number };
  colors: Partial<Record<"blue" | "green", RestoredColor>>;
}

interface ScriptRun {
  code: number | null;
  output: string[];
  /** `greenlight: key=value` lines */
  said: { key: string; value: string }[];
}

/**
 * Runs deploy.mjs with `action` on `dir`. Detached, in a process group of its own: a Ctrl-C in
 * the terminal reaches Greenlight, which then stops the demo in order, not the stop itself.
 */
export function runDemoScript(action: "start-all" | "stop-all", dir: string, env: Record<string, string> = {}) {
  // the script gets only these
  const vars: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GREENLIGHT_ACTION: action,
    GREENLIGHT_DATA_DIR: path.dirname(dir),
    ...env,
  };
  return new Promise<ScriptRun>((resolve) => {
    const child = spawn(process.execPath, [DEMO_DEPLOY_SCRIPT], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // Next's typings make NODE_ENV mandatory in ProcessEnv
      env: vars as NodeJS.ProcessEnv,
    });
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    const timer = setTimeout(() => {
      text += `\n${action} took more than ${SCRIPT_TIMEOUT_MS / 1000} s: stopped`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, SCRIPT_TIMEOUT_MS);
    const done = (code: number | null) => {
      clearTimeout(timer);
      const output = text.split("\n").filter((line) => line.trim() !== "");
      const said = output.flatMap((line) => {
        const m = /^greenlight: ([a-z-]+)=(.*)$/.exec(line);
        return m ? [{ key: m[1]!, value: m[2]! }] : [];
      });
      resolve({ code, output, said });
    };
    child.on("error", (e) => {
      text += `\n${e.message}`;
      done(null);
    });
    child.on("close", (code) => done(code));
  });
}

export interface StartAll {
  /** the pid of the live Greenlight that owns the folder, when it is not `ownerPid`: nothing was done */
  ownedBy: number | null;
  restored: Restored[];
  failed: { app: string; env: string; reason: string }[];
  /** a sentence when the script itself failed */
  error: string | null;
}

/** start-all on `dir` for `pairs`, as `ownerPid` (deploy.mjs). */
export async function startAll(
  dir: string,
  pairs: readonly { app: string; env: string }[],
  ownerPid: number,
): Promise<StartAll> {
  const run = await runDemoScript("start-all", dir, {
    DEMO_OWNER_PID: String(ownerPid),
    DEMO_RESTORE: JSON.stringify(pairs),
  });
  const owner = run.said.find((s) => s.key === "owner");
  const result: StartAll = {
    ownedBy: owner ? Number(owner.value) : null,
    restored: [],
    failed: [],
    error: run.code === 0 ? null : run.output.slice(-3).join(" | ") || `exited with ${run.code}`,
  };
  for (const { key, value } of run.said) {
    if (key === "restored") result.restored.push(JSON.parse(value) as Restored);
    if (key === "restore-failed") result.failed.push(JSON.parse(value) as StartAll["failed"][number]);
  }
  return result;
}

/**
 * stop-all on `dir`: every process the demo started for it is stopped and gone when this
 * returns; their pids. With `ownerPid`, a folder another live Greenlight owns is left alone
 * (`ownedBy`). `error`: a sentence when the script failed.
 */
export async function stopAll(
  dir: string,
  ownerPid?: number,
): Promise<{ pids: number[]; ownedBy: number | null; error: string | null }> {
  const run = await runDemoScript("stop-all", dir, ownerPid === undefined ? {} : { DEMO_OWNER_PID: String(ownerPid) });
  const owner = run.said.find((s) => s.key === "owner");
  const stopped = run.said.find((s) => s.key === "stopped")?.value ?? "";
  return {
    pids: stopped.split(",").filter(Boolean).map(Number),
    ownedBy: owner ? Number(owner.value) : null,
    error: run.code === 0 ? null : run.output.slice(-3).join(" | ") || `exited with ${run.code}`,
  };
}
