import { describe, expect, it } from "vitest";
import { commandProvider } from "./provider";
import type { VersionContext } from "../provider";

// The command provider's optional version command, with real processes: what it reads as the
// version, and every way of not saying one.

const ctx = (): VersionContext => ({
  application: { key: "storefront" },
  environment: { key: "staging", url: "http://127.0.0.1:1/" },
  signal: new AbortController().signal,
});

const withVersion = (script: string, timeoutSeconds = 15) =>
  commandProvider({
    command: process.execPath,
    args: ["-e", "process.exit(9)"],
    version: { args: ["-e", script], timeoutSeconds },
  });

describe("the command provider's version check", () => {
  it("is offered only when a version command is configured", () => {
    expect("currentVersion" in commandProvider({ command: "true" })).toBe(false);
    expect("currentVersion" in withVersion("")).toBe(true);
  });

  it("reads the last line printed; the target's variables are there, no release's", async () => {
    const script =
      "console.log('asking ' + process.env.GREENLIGHT_APP + ' in ' + process.env.GREENLIGHT_ENV + ' ' + process.env.GREENLIGHT_ACTION);" +
      "console.log(process.env.GREENLIGHT_VERSION === undefined ? '2.3.1' : 'leaked ' + process.env.GREENLIGHT_VERSION)";
    expect(await withVersion(script).currentVersion!(ctx())).toEqual({ ok: true, version: "2.3.1" });
  });

  it.each([
    [
      "a non-zero exit, with what it said",
      "console.error('service down'); process.exit(2)",
      /^exited with code 2: service down$/,
    ],
    ["no output", "", /printed nothing/],
    ["a line that is no version", "console.log('it is 2.3.1 I think')", /printed no version/],
  ])("says why not for %s", async (_, script, reason) => {
    const report = await withVersion(script).currentVersion!(ctx());
    expect(report.ok).toBe(false);
    expect(!report.ok && report.reason).toMatch(reason);
  });

  it("gives up at its timeout and leaves nothing running", async () => {
    const started = Date.now();
    const report = await withVersion("setTimeout(() => console.log('9.9.9'), 30000)", 1).currentVersion!(ctx());
    expect(report).toEqual({ ok: false, reason: "no answer within 1 s" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a missing command is named", async () => {
    const provider = commandProvider({ command: "true", version: { command: "/nonexistent/version-tool" } });
    expect(await provider.currentVersion!(ctx())).toEqual({
      ok: false,
      reason: "command not found: /nonexistent/version-tool",
    });
  });
});
