import { type ChildProcessByStdio, spawn } from "node:child_process";
import { access, constants, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { z } from "zod";
import type {
  ConnectionReport,
  DeployContext,
  DeployProvider,
  DeployResult,
  LogLine,
  LogSink,
  ProviderCapabilities,
  StepAction,
  VersionContext,
  VersionReport,
} from "../provider";
import { parseUrlLine, type ReportedUrls } from "../../domain/reported-urls";
import { ENV_NAME, readSecret } from "../secret";
import { stepFor } from "../step";

// The `command` provider runs one configured executable per deploy step. It never goes through a
// shell: the command and its arguments are an argv array, so release data (versions, commit
// messages) can never become shell syntax. The release reaches the script as GREENLIGHT_*
// environment variables; its output becomes the deployment log line by line. A step that ends
// well may say where the release runs with the stdout lines `greenlight: url=<url>` (the live
// service) and `greenlight: preview-url=<url>` (the idle colour it deployed to); the last valid
// one of each counts, a line with anything but an http(s) URL is ignored (and said so in the log).

const noNul = (s: string) => !s.includes("\0");

export const commandConfigSchema = z.strictObject({
  command: z.string().trim().min(1, "Enter the executable to run").max(4096).refine(noNul, "Contains a NUL byte"),
  args: z.array(z.string().max(4096).refine(noNul, "Contains a NUL byte")).max(100).default([]),
  cwd: z.string().min(1).max(4096).optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).default(600),
  /** non-secret variables only: they are stored in the database and shown to admins */
  env: z
    .record(
      z.string().regex(ENV_NAME, "Not a valid environment variable name"),
      z.string().max(4096).refine(noNul, "Contains a NUL byte"),
    )
    .optional(),
  /**
   * the NAME of the variable whose value reaches the script as GREENLIGHT_SECRET, and under its
   * own name too, so a CLI that reads its usual variable (flyctl's FLY_API_TOKEN) works as it is
   */
  secretEnvVar: z.string().regex(ENV_NAME, "Not a valid environment variable name").optional(),
  /**
   * How to ask the target what it runs (optional): a command run with GREENLIGHT_ACTION=version
   * that prints the running version as the last line of its output and exits 0. The command
   * defaults to the deploy command. Without it, this target cannot report its version.
   */
  version: z
    .strictObject({
      command: z.string().trim().min(1).max(4096).refine(noNul, "Contains a NUL byte").optional(),
      args: z.array(z.string().max(4096).refine(noNul, "Contains a NUL byte")).max(100).default([]),
      timeoutSeconds: z.number().int().min(1).max(120).default(15),
    })
    .optional(),
});

export type CommandConfig = z.output<typeof commandConfigSchema>;
export type CommandConfigInput = z.input<typeof commandConfigSchema>;

export const MAX_LINE_CHARS = 4096;
export const MAX_LOG_CHARS = 1024 * 1024;
/** how long a process gets between SIGTERM and SIGKILL */
export const KILL_GRACE_MS = 5000;
/** how long to keep reading after exit, when a background grandchild still holds the pipes */
const DRAIN_MS = 2000;

type Action = StepAction | "version";

/** The script decides what each step means, so every strategy can run on it. */
export const commandCapabilities: ProviderCapabilities = {
  strategies: ["direct", "blue_green", "canary"],
  versionCheck: true,
  testConnection: true,
};

export function commandProvider(input: CommandConfigInput): DeployProvider {
  const config = commandConfigSchema.parse(input);
  return {
    kind: "command",
    ...(config.version ? { currentVersion: (ctx: VersionContext) => askVersion(config, ctx) } : {}),
    testConnection: () => checkExecutable(config),
    deploy: (ctx, log) => runStep(config, ctx, log, "deploy"),
    rollback: (ctx, log) => {
      const previous = ctx.release.previousVersion;
      if (!previous) return Promise.resolve({ ok: false, reason: "no previous version to roll back to" });
      return runStep(config, ctx, log, "rollback");
    },
    setTraffic: (ctx, percent, log) => {
      if (!Number.isInteger(percent) || percent < 0 || percent > 100)
        return Promise.resolve({ ok: false, reason: `traffic must be a whole percentage, got ${percent}` });
      return runStep(config, ctx, log, "traffic", percent);
    },
  };
}

/** The child's environment: a minimal base, the configured variables, then the release's. */
function childEnv(
  config: CommandConfig,
  ctx: DeployContext,
  action: Action,
  secret: string | undefined,
  percent?: number,
) {
  const base: Record<string, string> = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin" };
  if (process.env.HOME) base.HOME = process.env.HOME;
  if (process.env.LANG) base.LANG = process.env.LANG;
  // this Greenlight's data folder, absolute: where a script it runs may keep state (the demo's
  // deploy script keeps its services there, so two Greenlights on one machine keep theirs apart)
  base.GREENLIGHT_DATA_DIR = path.resolve(process.env.GREENLIGHT_DATA_DIR || ".data");
  const { release } = ctx;
  // In a rollback the version to put back is the previous one; GREENLIGHT_PREVIOUS_VERSION always
  // names what runs before this step, so a script can read both the same way for every action.
  const rollingBack = action === "rollback";
  const step = action === "version" ? undefined : stepFor(ctx, action, percent);
  const version = rollingBack ? (release.previousVersion ?? "") : release.version;
  const commit = rollingBack ? release.previousCommitSha : release.commitSha;
  const previous = rollingBack ? release.version : release.previousVersion;
  const greenlight: Record<string, string | undefined> = {
    GREENLIGHT_APP: ctx.application.key,
    GREENLIGHT_ENV: ctx.environment.key,
    GREENLIGHT_ENV_URL: ctx.environment.url ?? undefined,
    GREENLIGHT_VERSION: version,
    GREENLIGHT_COMMIT: commit,
    GREENLIGHT_PREVIOUS_VERSION: previous,
    GREENLIGHT_DEPLOYMENT_ID: ctx.deploymentId,
    GREENLIGHT_STRATEGY: ctx.strategy,
    GREENLIGHT_COLOR: ctx.color,
    GREENLIGHT_PREVIOUS_COLOR: ctx.previousColor,
    GREENLIGHT_ACTION: action,
    GREENLIGHT_STEP: step && String(step.index),
    GREENLIGHT_STEP_COUNT: step && String(step.count),
    GREENLIGHT_TRAFFIC_PERCENT: step && String(step.trafficPercent),
    GREENLIGHT_SECRET: secret,
  };
  const env: Record<string, string> = { ...base, ...config.env };
  // the secret under its own name as well (readSecret refused Greenlight's own names)
  if (config.secretEnvVar && secret !== undefined) env[config.secretEnvVar] = secret;
  // the release's variables win over configured ones: a target cannot fake another version
  for (const [key, value] of Object.entries(greenlight)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

async function runStep(
  config: CommandConfig,
  ctx: DeployContext,
  log: LogSink,
  action: Action,
  percent?: number,
): Promise<DeployResult> {
  const out = new LogWriter(log);
  const fail = async (reason: string, providerRef?: string): Promise<DeployResult> => {
    out.system(reason);
    await out.flush();
    return { ok: false, reason, providerRef };
  };
  if (ctx.signal.aborted) return fail("cancelled");

  let secret: string | undefined;
  if (config.secretEnvVar) {
    // read now, not at start-up: the variable is named per target and may be rotated while the
    // app runs; it is never logged, and never stored anywhere but the child's environment. One of
    // Greenlight's own settings is refused here too, whatever the row says.
    const read = readSecret(config.secretEnvVar);
    if (!read.ok) return fail(read.reason);
    secret = read.value;
    out.mask(secret);
  }
  // (turbopackIgnore: the folder is a deploy target's, named at run time; nothing for the build to
  // trace, and without it Next traces the whole project into the server build)
  const cwd = path.resolve(/*turbopackIgnore: true*/ config.cwd ?? process.cwd());
  // spawn reports a missing cwd as ENOENT of the command, which would send people looking for
  // the wrong thing
  const cwdOk = await stat(/*turbopackIgnore: true*/ cwd).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!cwdOk) return fail(`working directory not found: ${cwd}`);

  out.system(`$ ${[config.command, ...config.args].map(quote).join(" ")}`);
  const env = childEnv(config, ctx, action, secret, percent);
  return new Promise<DeployResult>((resolve) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      // detached: the child leads its own process group, so a timeout also stops whatever it
      // started in the foreground (a `sleep` under `sh` would otherwise keep running)
      child = spawn(config.command, config.args, {
        cwd,
        // Next's typings make NODE_ENV mandatory in ProcessEnv; the child deliberately gets only
        // the variables chosen above
        env: env as NodeJS.ProcessEnv,
        shell: false,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      resolve(fail(`could not start ${config.command}: ${(e as Error).message}`));
      return;
    }
    const pid = child.pid;
    const providerRef = pid === undefined ? undefined : String(pid);
    let stopReason: string | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    let exited = false;

    const signalGroup = (signal: NodeJS.Signals) => {
      if (pid === undefined) return;
      try {
        process.kill(process.platform === "win32" ? pid : -pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = (reason: string) => {
      if (stopReason !== null || exited) return;
      stopReason = reason;
      out.system(`${reason}: sending SIGTERM`);
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => {
        out.system(`still running ${KILL_GRACE_MS / 1000} s after SIGTERM: sending SIGKILL`);
        signalGroup("SIGKILL");
      }, KILL_GRACE_MS);
    };
    const timeout = setTimeout(() => stop(`timed out after ${config.timeoutSeconds} s`), config.timeoutSeconds * 1000);
    const onAbort = () => stop("cancelled");
    ctx.signal.addEventListener("abort", onAbort, { once: true });

    const reported: ReportedUrls = {};
    const stdout = new LineSplitter((text) => {
      out.line("stdout", text);
      // a URL holding the secret would publish it on the deployment page: not taken
      const said = secret && text.includes(secret) ? null : parseUrlLine(text);
      if (said && "invalid" in said) out.system(`ignored a greenlight: line, ${said.invalid}`);
      else if (said) reported[said.key] = said.url;
    });
    const stderr = new LineSplitter((text) => out.line("stderr", text));
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

    const finish = (result: DeployResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      ctx.signal.removeEventListener("abort", onAbort);
      // a stopped deploy leaves nothing behind, even what ignored SIGTERM after its parent died
      if (stopReason !== null) signalGroup("SIGKILL");
      stdout.end();
      stderr.end();
      if (!result.ok) out.system(result.reason);
      else out.system("exited with code 0");
      // read after the pipes drained: the URLs may be the last lines printed
      const final: DeployResult = result.ok === true ? { ...result, ...reported } : result;
      resolve(out.flush().then(() => final));
    };

    child.on("error", (e: NodeJS.ErrnoException) => {
      // a child that started reports through "exit"; without a pid it never started at all
      if (pid !== undefined) return;
      const reason =
        e.code === "ENOENT"
          ? `command not found: ${config.command}`
          : e.code === "EACCES"
            ? `command not executable: ${config.command}`
            : `could not start ${config.command}: ${e.message}`;
      finish({ ok: false, reason, providerRef });
    });
    if (providerRef) out.system(`started process ${providerRef}`);

    child.on("exit", (code, signal) => {
      exited = true;
      const result: DeployResult =
        stopReason !== null
          ? { ok: false, reason: stopReason, providerRef }
          : code === 0
            ? { ok: true, providerRef }
            : { ok: false, reason: signal ? `killed by ${signal}` : `exited with code ${code}`, providerRef };
      // read what is still in the pipes; give up if a background grandchild keeps them open
      const drained = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(result);
      }, DRAIN_MS);
      child.on("close", () => {
        clearTimeout(drained);
        finish(result);
      });
    });
  });
}

/**
 * "Test connection" for a command: the executable exists and may be run (found on PATH like
 * spawn finds it), and the working directory exists. Nothing is run.
 */
async function checkExecutable(config: CommandConfig): Promise<ConnectionReport> {
  const cwd = path.resolve(/*turbopackIgnore: true*/ config.cwd ?? process.cwd());
  const isDir = await stat(/*turbopackIgnore: true*/ cwd).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) return { ok: false, reason: `The working directory ${cwd} does not exist on the Greenlight server` };
  const candidates = config.command.includes("/")
    ? [path.resolve(cwd, config.command)]
    : (process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin")
        .split(path.delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => path.resolve(cwd, dir, config.command));
  let notExecutable: string | null = null;
  for (const file of candidates) {
    const isFile = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) continue;
    const runnable = await access(file, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (runnable) return { ok: true, message: `${file} exists and is executable (not run)` };
    notExecutable ??= file;
  }
  if (notExecutable) return { ok: false, reason: `${notExecutable} is not executable: run chmod +x on it` };
  return {
    ok: false,
    reason: config.command.includes("/")
      ? `${candidates[0]} does not exist on the Greenlight server`
      : `${config.command} was not found on the Greenlight server's PATH`,
  };
}

/** Quotes an argument for the log line that shows what runs; display only, never executed. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Turns a byte stream into lines: splits on \n, drops a trailing \r (CRLF), keeps multi-byte
 * characters that straddle chunks intact, and emits a line longer than MAX_LINE_CHARS early and
 * drops the rest of it, so one runaway line cannot exhaust memory.
 */
class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";
  private discarding = false;

  constructor(private readonly emit: (text: string) => void) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  end(): void {
    this.take(this.decoder.end());
    if (this.pending !== "" && !this.discarding) this.emit(stripCr(this.pending));
    this.pending = "";
    this.discarding = false;
  }

  private take(text: string): void {
    let rest = text;
    for (let nl = rest.indexOf("\n"); nl !== -1; nl = rest.indexOf("\n")) {
      const piece = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (this.discarding) this.discarding = false;
      else this.emit(stripCr(this.pending + piece));
      this.pending = "";
    }
    if (this.discarding) return;
    this.pending += rest;
    if (this.pending.length > MAX_LINE_CHARS) {
      this.emit(this.pending);
      this.pending = "";
      this.discarding = true;
    }
  }
}

const stripCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
const truncate = (line: string) =>
  line.length > MAX_LINE_CHARS
    ? `${line.slice(0, MAX_LINE_CHARS)} … [line truncated at ${MAX_LINE_CHARS} characters]`
    : line;

/**
 * Hands lines to the sink one at a time and in order, masks the secret, caps each line and the
 * whole log, and keeps a failing sink from failing the deploy: the process has already changed
 * the world, so its outcome must still be reported even when a log line could not be stored.
 */
class LogWriter {
  private chain: Promise<void> = Promise.resolve();
  private chars = 0;
  private full = false;
  private secret: string | null = null;

  constructor(private readonly sink: LogSink) {}

  /** The log is shown to everyone who can see the environment: a script that echoes its
   * secret (set -x, a debug print) must not publish it there. */
  mask(secret: string): void {
    this.secret = secret;
  }

  line(stream: "stdout" | "stderr", raw: string): void {
    if (this.full) return;
    const text = truncate(this.secret === null ? raw : raw.replaceAll(this.secret, "***"));
    this.chars += text.length;
    if (this.chars > MAX_LOG_CHARS) {
      this.full = true;
      this.system(`output truncated: the log reached ${MAX_LOG_CHARS / 1024 / 1024} MB, further output is discarded`);
      return;
    }
    this.write({ stream, text, at: new Date() });
  }

  system(text: string): void {
    this.write({ stream: "system", text, at: new Date() });
  }

  flush(): Promise<void> {
    return this.chain;
  }

  private write(line: LogLine): void {
    this.chain = this.chain.then(async () => {
      try {
        await this.sink(line);
      } catch (e) {
        console.error(`deploy log: could not write a line: ${(e as Error).message}`);
      }
    });
  }
}

/** What a version command may print as a version: one printable word, as release versions are. */
const VERSION = /^[^\s\p{C}]{1,200}$/u;
const VERSION_OUTPUT_MAX = 64 * 1024;

/**
 * Runs the target's version command (GREENLIGHT_ACTION=version, no release variables) and reads
 * the version from the last line it printed. Its own process group, killed at its timeout.
 */
async function askVersion(config: CommandConfig, ctx: VersionContext): Promise<VersionReport> {
  const check = config.version;
  if (!check) return { ok: false, reason: "this target has no version command" };
  let secret: string | undefined;
  if (config.secretEnvVar) {
    const read = readSecret(config.secretEnvVar);
    if (!read.ok) return { ok: false, reason: read.reason };
    secret = read.value;
  }
  const cwd = path.resolve(/*turbopackIgnore: true*/ config.cwd ?? process.cwd());
  const env = childEnv(
    config,
    {
      deploymentId: "",
      application: ctx.application,
      environment: ctx.environment,
      release: { version: "", commitSha: "" },
      strategy: "direct",
      signal: ctx.signal,
    },
    "version",
    secret,
  );
  // a version check names no release: none of the release's variables
  for (const key of ["GREENLIGHT_VERSION", "GREENLIGHT_COMMIT", "GREENLIGHT_DEPLOYMENT_ID", "GREENLIGHT_STRATEGY"])
    delete env[key];
  const command = check.command ?? config.command;
  return new Promise<VersionReport>((resolve) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(command, check.args, {
        cwd,
        env: env as NodeJS.ProcessEnv,
        shell: false,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      resolve({ ok: false, reason: `could not start ${command}: ${(e as Error).message}` });
      return;
    }
    let stdout = "";
    let stderr = "";
    let stopped: string | null = null;
    const kill = (reason: string) => {
      stopped ??= reason;
      try {
        if (child.pid !== undefined) process.kill(process.platform === "win32" ? child.pid : -child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`no answer within ${check.timeoutSeconds} s`), check.timeoutSeconds * 1000);
    const onAbort = () => kill("the check was cancelled");
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      if (stdout.length < VERSION_OUTPUT_MAX) stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < VERSION_OUTPUT_MAX) stderr += chunk.toString("utf8");
    });
    const lastLine = (text: string) =>
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .at(-1);
    const done = (report: VersionReport) => {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", onAbort);
      resolve(report);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      done({
        ok: false,
        reason: e.code === "ENOENT" ? `command not found: ${command}` : `could not start ${command}: ${e.message}`,
      });
    });
    child.on("close", (code, signal) => {
      if (stopped !== null) return done({ ok: false, reason: stopped });
      if (code !== 0) {
        const said = lastLine(stderr) ?? lastLine(stdout);
        return done({
          ok: false,
          reason: `${signal ? `killed by ${signal}` : `exited with code ${code}`}${said ? `: ${truncate(said)}` : ""}`,
        });
      }
      const version = lastLine(stdout);
      if (!version) return done({ ok: false, reason: "the version command printed nothing" });
      if (!VERSION.test(version))
        return done({
          ok: false,
          reason: `the version command printed no version: ${truncate(version).slice(0, 200)}`,
        });
      done({ ok: true, version });
    });
  });
}
