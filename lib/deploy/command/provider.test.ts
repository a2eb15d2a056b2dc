import { readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commandConfigSchema,
  commandProvider,
  MAX_LINE_CHARS,
  MAX_LOG_CHARS,
  type CommandConfigInput,
} from "./provider";
import type { DeployContext, DeployResult, LogLine } from "../provider";

// Real processes only: every case writes a small script into a temporary directory and runs it.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "greenlight-command-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, body);
  await chmod(file, 0o755);
  return file;
}

function context(overrides: Partial<DeployContext> = {}): DeployContext {
  return {
    deploymentId: "0190a1b2-0000-7000-8000-000000000001",
    application: { key: "storefront" },
    environment: { key: "staging", url: "http://127.0.0.1:4200" },
    release: { version: "2.4.0", commitSha: "a1b2c3d4e5f6", previousVersion: "2.3.9", previousCommitSha: "99aa" },
    strategy: "blue_green",
    color: "green",
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function run(
  config: CommandConfigInput,
  step: "deploy" | "rollback" | "traffic" = "deploy",
  ctx: DeployContext = context(),
): Promise<{ result: DeployResult; lines: LogLine[]; out: string[] }> {
  const lines: LogLine[] = [];
  const provider = commandProvider(config);
  const sink = (line: LogLine) => {
    lines.push(line);
  };
  const result =
    step === "deploy"
      ? await provider.deploy(ctx, sink)
      : step === "rollback"
        ? await provider.rollback(ctx, sink)
        : await provider.setTraffic!(ctx, 50, sink);
  const out = lines.filter((l) => l.stream !== "system").map((l) => `${l.stream}: ${l.text}`);
  return { result, lines, out };
}

/** Not running: no such process, or a zombie that only waits for its (re)parent to reap it. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    // the state is the field after the parenthesised command name
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z") ?? false;
  } catch {
    return true;
  }
}

/** A signalled process dies a moment after the signal is sent. */
async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 20 && !gone(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return gone(pid);
}

describe("command provider", () => {
  it("succeeds on exit 0 with stdout and stderr lines in order and the release in its environment", async () => {
    const file = await script(
      "ok.sh",
      [
        "#!/bin/sh",
        'echo "app=$GREENLIGHT_APP env=$GREENLIGHT_ENV version=$GREENLIGHT_VERSION commit=$GREENLIGHT_COMMIT"',
        "sleep 0.2",
        'echo "deployment=$GREENLIGHT_DEPLOYMENT_ID strategy=$GREENLIGHT_STRATEGY color=$GREENLIGHT_COLOR" >&2',
        "sleep 0.2",
        'echo "previous=$GREENLIGHT_PREVIOUS_VERSION action=$GREENLIGHT_ACTION custom=$CUSTOM"',
        "sleep 0.2",
        'echo "home-set=${HOME:+yes} secret=${GREENLIGHT_SECRET:-none} pct=${GREENLIGHT_TRAFFIC_PERCENT:-none}"',
        // nothing from the app's own environment leaks into the child
        'echo "leak=${DATABASE_URL:-none}"',
      ].join("\n"),
    );
    const { result, lines, out } = await run({ command: file, env: { CUSTOM: "x y", GREENLIGHT_VERSION: "forged" } });
    expect(result.ok).toBe(true);
    expect(result.providerRef).toMatch(/^\d+$/);
    expect(out).toEqual([
      "stdout: app=storefront env=staging version=2.4.0 commit=a1b2c3d4e5f6",
      "stderr: deployment=0190a1b2-0000-7000-8000-000000000001 strategy=blue_green color=green",
      "stdout: previous=2.3.9 action=deploy custom=x y",
      "stdout: home-set=yes secret=none pct=0",
      "stdout: leak=none",
    ]);
    expect(lines[0]).toMatchObject({ stream: "system", text: `$ ${file}` });
    expect(lines.at(-1)).toMatchObject({ stream: "system", text: "exited with code 0" });
    expect(lines.every((l) => l.at instanceof Date)).toBe(true);
  });

  it("rolls back with the previous version and drives traffic steps with the percentage", async () => {
    const file = await script(
      "vars.sh",
      '#!/bin/sh\necho "$GREENLIGHT_ACTION $GREENLIGHT_VERSION ${GREENLIGHT_COMMIT:-none} from ${GREENLIGHT_PREVIOUS_VERSION:-none} ${GREENLIGHT_TRAFFIC_PERCENT:-none}"\n',
    );
    expect((await run({ command: file }, "rollback")).out).toEqual(["stdout: rollback 2.3.9 99aa from 2.4.0 0"]);
    expect((await run({ command: file }, "traffic")).out).toEqual(["stdout: traffic 2.4.0 a1b2c3d4e5f6 from 2.3.9 50"]);
    const first = context({ release: { version: "1.0.0", commitSha: "abc" } });
    expect((await run({ command: file }, "rollback", first)).result).toEqual({
      ok: false,
      reason: "no previous version to roll back to",
    });
  });

  it("tells the script which rollout step it runs, its traffic share and both colours", async () => {
    const file = await script(
      "step.sh",
      '#!/bin/sh\necho "$GREENLIGHT_ACTION step=$GREENLIGHT_STEP/$GREENLIGHT_STEP_COUNT pct=$GREENLIGHT_TRAFFIC_PERCENT color=$GREENLIGHT_COLOR previous=${GREENLIGHT_PREVIOUS_COLOR:-none}"\n',
    );
    const canary = (action: "deploy" | "traffic" | "rollback", index: number, trafficPercent: number) =>
      context({
        strategy: "canary",
        color: "green",
        previousColor: "blue",
        step: { index, count: 3, action, trafficPercent },
      });
    expect((await run({ command: file }, "deploy", canary("deploy", -1, 0))).out).toEqual([
      "stdout: deploy step=-1/3 pct=0 color=green previous=blue",
    ]);
    // setTraffic's own percentage is the one the script acts on
    expect((await run({ command: file }, "traffic", canary("traffic", 1, 50))).out).toEqual([
      "stdout: traffic step=1/3 pct=50 color=green previous=blue",
    ]);
    expect((await run({ command: file }, "rollback", canary("rollback", 2, 0))).out).toEqual([
      "stdout: rollback step=2/3 pct=0 color=green previous=blue",
    ]);
    // a direct deploy is one step that moves all traffic at once
    expect((await run({ command: file }, "deploy", context({ strategy: "direct", color: undefined }))).out).toEqual([
      "stdout: deploy step=-1/0 pct=100 color= previous=none",
    ]);
  });

  it("tests its connection by finding the executable, without running it", async () => {
    const marker = path.join(dir, "ran");
    const file = await script("never-run.sh", `#!/bin/sh\ntouch ${marker}\n`);
    expect(await commandProvider({ command: file }).testConnection!(new AbortController().signal)).toEqual({
      ok: true,
      message: `${file} exists and is executable (not run)`,
    });
    await expect(readFile(marker)).rejects.toThrow();
    expect(await commandProvider({ command: "sh" }).testConnection!(new AbortController().signal)).toMatchObject({
      ok: true,
    });
    const plain = path.join(dir, "plain.txt");
    await writeFile(plain, "not a program");
    expect(await commandProvider({ command: plain }).testConnection!(new AbortController().signal)).toEqual({
      ok: false,
      reason: `${plain} is not executable: run chmod +x on it`,
    });
    expect(
      await commandProvider({ command: "greenlight-no-such-tool" }).testConnection!(new AbortController().signal),
    ).toEqual({ ok: false, reason: "greenlight-no-such-tool was not found on the Greenlight server's PATH" });
    expect(
      await commandProvider({ command: file, cwd: path.join(dir, "missing") }).testConnection!(
        new AbortController().signal,
      ),
    ).toEqual({
      ok: false,
      reason: `The working directory ${path.join(dir, "missing")} does not exist on the Greenlight server`,
    });
  });

  it("fails with the exit code of a command that exits non-zero", async () => {
    const file = await script("fail.sh", "#!/bin/sh\necho 'migrating'\necho 'migration 42 failed' >&2\nexit 3\n");
    const { result, out, lines } = await run({ command: file });
    expect(result).toMatchObject({ ok: false, reason: "exited with code 3" });
    expect(out).toEqual(["stdout: migrating", "stderr: migration 42 failed"]);
    expect(lines.at(-1)).toMatchObject({ stream: "system", text: "exited with code 3" });
  });

  it("fails with the signal that killed the command", async () => {
    const file = await script("selfkill.sh", "#!/bin/sh\nkill -KILL $$\n");
    expect((await run({ command: file })).result).toMatchObject({ ok: false, reason: "killed by SIGKILL" });
  });

  it("fails when the command does not exist or the working directory is missing", async () => {
    const missing = path.join(dir, "no-such-script");
    const { result, lines } = await run({ command: missing });
    expect(result).toEqual({ ok: false, reason: `command not found: ${missing}`, providerRef: undefined });
    expect(lines.at(-1)).toMatchObject({ stream: "system", text: `command not found: ${missing}` });
    expect((await run({ command: "greenlight-no-such-command" })).result).toMatchObject({
      reason: "command not found: greenlight-no-such-command",
    });
    const cwd = path.join(dir, "nowhere");
    expect((await run({ command: "true", cwd })).result).toMatchObject({
      reason: `working directory not found: ${cwd}`,
    });
  });

  it("stops a command that hangs past its timeout, with everything it started", async () => {
    const pidFile = path.join(dir, "sleeper.pid");
    const file = await script("hang.sh", `#!/bin/sh\necho started\nsleep 60 &\necho $! > ${pidFile}\nwait\n`);
    const started = Date.now();
    const { result, lines, out } = await run({ command: file, timeoutSeconds: 1 });
    expect(Date.now() - started).toBeLessThan(7000);
    expect(result).toMatchObject({ ok: false, reason: "timed out after 1 s" });
    expect(out).toEqual(["stdout: started"]);
    expect(lines.map((l) => l.text)).toContain("timed out after 1 s: sending SIGTERM");
    expect(gone(Number(result.providerRef))).toBe(true);
    const sleeper = Number(await readFile(pidFile, "utf8"));
    expect(await goneSoon(sleeper)).toBe(true);
  });

  it("escalates to SIGKILL when the command ignores SIGTERM", async () => {
    const file = await script("stubborn.sh", "#!/bin/sh\ntrap '' TERM\necho ignoring\nwhile :; do sleep 0.1; done\n");
    const started = Date.now();
    const { result, lines } = await run({ command: file, timeoutSeconds: 1 });
    expect(Date.now() - started).toBeLessThan(9000);
    expect(result).toMatchObject({ ok: false, reason: "timed out after 1 s" });
    expect(lines.map((l) => l.text)).toContain("still running 5 s after SIGTERM: sending SIGKILL");
    expect(gone(Number(result.providerRef))).toBe(true);
  }, 15_000);

  it("cancels when the deployment's signal aborts, and does not start when already aborted", async () => {
    const file = await script("long.sh", "#!/bin/sh\nsleep 30\n");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const { result } = await run({ command: file }, "deploy", context({ signal: controller.signal }));
    expect(result).toMatchObject({ ok: false, reason: "cancelled" });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(gone(Number(result.providerRef))).toBe(true);
    const { result: before, lines } = await run({ command: file }, "deploy", context({ signal: AbortSignal.abort() }));
    expect(before).toEqual({ ok: false, reason: "cancelled", providerRef: undefined });
    expect(lines.map((l) => l.text)).toEqual(["cancelled"]);
  });

  it("keeps a partial last line, strips CRLF and splits lines across chunks", async () => {
    const file = await script(
      "lines.mjs",
      [
        "const w = (s) => new Promise((r) => process.stdout.write(s, r));",
        "await w('windows line\\r\\nhalf');",
        "await new Promise((r) => setTimeout(r, 100));",
        "await w(' and the other half\\r\\n\\nkl\\u00e4');", // ä arrives whole in one chunk
        "await new Promise((r) => setTimeout(r, 100));",
        "process.stdout.write(Buffer.from([0xc3]));", // first byte of é …
        "await new Promise((r) => setTimeout(r, 100));",
        "process.stdout.write(Buffer.from([0xa9]));", // … and its second byte in another chunk
        "await w('\\nno newline at the end');",
      ].join("\n"),
    );
    const { result, out } = await run({ command: process.execPath, args: [file] });
    expect(result.ok).toBe(true);
    expect(out).toEqual([
      "stdout: windows line",
      "stdout: half and the other half",
      "stdout: ",
      "stdout: kläé",
      "stdout: no newline at the end",
    ]);
  });

  it("reports where the release runs from its greenlight: url= and preview-url= lines, ignoring anything else", async () => {
    const file = await script(
      "urls.sh",
      [
        "#!/bin/sh",
        "echo 'greenlight: url=http://127.0.0.1:1/old'",
        "echo 'greenlight: preview-url=javascript:alert(1)'",
        "echo '  greenlight: url=http://127.0.0.1:9/indented-is-not-the-line'",
        "echo 'greenlight: preview-url=http://127.0.0.1:4301/'",
        // the last one counts, and it may come in the very last bytes, without a newline
        "printf 'greenlight: url=https://shop.example/'",
      ].join("\n"),
    );
    const { result, lines } = await run({ command: file });
    expect(result).toMatchObject({ ok: true, url: "https://shop.example/", previewUrl: "http://127.0.0.1:4301/" });
    expect(lines.map((l) => l.text)).toContain(
      'ignored a greenlight: line, preview-url: "javascript:alert(1)" is not an http(s) URL',
    );
    // a failed step reports nowhere, whatever it printed
    const failing = await script("urls-fail.sh", "#!/bin/sh\necho 'greenlight: url=http://127.0.0.1:1/'\nexit 3\n");
    const failed = (await run({ command: failing })).result;
    expect(failed).toMatchObject({ ok: false, reason: "exited with code 3" });
    expect(failed).not.toHaveProperty("url");
  });

  it("truncates a huge line and caps the whole log", async () => {
    const file = await script(
      "huge.mjs",
      [
        `process.stdout.write("x".repeat(${MAX_LINE_CHARS * 50}) + "\\nafter\\n");`,
        // about 2 MB in 1 KB lines: past the log cap
        `const line = "y".repeat(1023) + "\\n";`,
        "for (let i = 0; i < 2048; i++) process.stdout.write(line);",
      ].join("\n"),
    );
    const { result, lines } = await run({ command: process.execPath, args: [file] });
    expect(result.ok).toBe(true);
    const first = lines.find((l) => l.stream === "stdout");
    expect(first?.text).toBe(`${"x".repeat(MAX_LINE_CHARS)} … [line truncated at ${MAX_LINE_CHARS} characters]`);
    const stdout = lines.filter((l) => l.stream === "stdout");
    expect(stdout[1]?.text).toBe("after");
    expect(stdout.reduce((n, l) => n + l.text.length, 0)).toBeLessThanOrEqual(MAX_LOG_CHARS);
    expect(lines.filter((l) => l.text.startsWith("output truncated"))).toHaveLength(1);
    expect(lines.at(-1)?.text).toBe("exited with code 0");
  });

  it("passes the secret to the script but never into the log", async () => {
    const name = "COMMAND_TEST_DEPLOY_SECRET";
    const secret = "s3cr3t-token-value-42";
    process.env[name] = secret;
    try {
      const quiet = await script(
        "quiet.sh",
        `#!/bin/sh\n[ "$GREENLIGHT_SECRET" = "${secret}" ] && [ "$${name}" = "${secret}" ] && echo "secret received" || exit 9\n`,
      );
      const { result, lines } = await run({ command: quiet, secretEnvVar: name });
      expect(result.ok).toBe(true);
      expect(lines.map((l) => l.text)).toContain("secret received");
      expect(JSON.stringify(lines)).not.toContain(secret);

      // a script that prints it (set -x, a debug line) still does not publish it
      const loud = await script("loud.sh", '#!/bin/sh\necho "token is $GREENLIGHT_SECRET!" >&2\n');
      const printed = await run({ command: loud, secretEnvVar: name });
      expect(printed.out).toEqual(["stderr: token is ***!"]);
      expect(JSON.stringify(printed.lines)).not.toContain(secret);
    } finally {
      delete process.env[name];
    }
    const missing = await run({ command: "true", secretEnvVar: name });
    expect(missing.result).toMatchObject({
      ok: false,
      reason: `secret environment variable ${name} is not set on the Greenlight server`,
    });
    // a row naming one of Greenlight's own settings (written around the form) gets nothing
    const own = await run({ command: "env", secretEnvVar: "DATABASE_URL" });
    expect(own.result.ok).toBe(false);
    expect(own.result.ok ? "" : own.result.reason).toMatch(/one of Greenlight's own settings/);
  });

  it("passes arguments with spaces and shell metacharacters literally, never through a shell", async () => {
    const marker = path.join(dir, "pwned");
    const file = await script("args.sh", '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n');
    const args = ["two words", "$(touch " + marker + ")", "; touch " + marker, "`id`", "*", "$HOME", "a'b\"c", ""];
    const { result, out } = await run({ command: file, args });
    expect(result.ok).toBe(true);
    expect(out).toEqual(args.map((a) => `stdout: [${a}]`));
    await expect(readFile(marker)).rejects.toThrow();
  });

  it("validates its configuration", () => {
    expect(commandConfigSchema.parse({ command: "node" })).toEqual({ command: "node", args: [], timeoutSeconds: 600 });
    for (const bad of [
      { command: "" },
      { command: "node", timeoutSeconds: 0 },
      { command: "node", timeoutSeconds: 3601 },
      { command: "node", args: ["a\0b"] },
      { command: "node", env: { "BAD-NAME": "x" } },
      { command: "node", secretEnvVar: "not valid" },
      { command: "node", shell: true },
    ])
      expect(commandConfigSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(() => commandProvider({ command: "" })).toThrow();
  });
});
