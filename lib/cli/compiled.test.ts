import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// lib/cli/compiled.mjs runs `npm run worker` and `npm run bench:rollouts` as one bundle. The
// worker tests (lib/jobs/shutdown.test.ts) drive it through signals; these check what a bundled
// entry sees of itself.

const RUNNER = path.resolve("lib/cli/compiled.mjs");
const FIXTURE = path.resolve("lib/cli/compiled-fixture");

function run(args: string[], conditions = ["--conditions=react-server"]) {
  return spawnSync(process.execPath, [...conditions, RUNNER, ...args], { encoding: "utf8" });
}

describe("compiled runner", () => {
  it("runs the entry in its own process with its arguments, each file keeping its own location", () => {
    const result = run([path.join(FIXTURE, "entry.ts"), "deploy", "--verbose"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const seen = JSON.parse(result.stdout) as {
      entry: string;
      nested: { dirname: string; fromUrl: string; filename: string };
      argv: string[];
      pid: number;
    };
    expect(seen.entry).toBe(FIXTURE);
    expect(seen.nested.dirname).toBe(path.join(FIXTURE, "nested"));
    expect(seen.nested.fromUrl).toBe(path.join(FIXTURE, "nested") + path.sep);
    expect(seen.nested.filename).toBe(path.join(FIXTURE, "nested", "where.ts"));
    expect(seen.argv).toEqual(["deploy", "--verbose"]);
    expect(seen.pid).toBe(result.pid);
  });

  it("passes the entry's exit code on", () => {
    expect(run([path.join(FIXTURE, "entry.ts"), "--fail"]).status).toBe(3);
  });

  it("--next-server: runs without the react-server condition, `server-only` as an empty module", () => {
    const result = run(["--next-server", path.join(FIXTURE, "next-server.ts"), "--port", "3000"], []);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ serverOnly: "loaded", useState: "function", argv: ["--port", "3000"] });
    // without the option, the same entry in the same process refuses to load, as lib/data should
    const refused = run([path.join(FIXTURE, "next-server.ts")], []);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("This module cannot be imported from a Client Component module");
  });

  it("refuses a missing entry and a broken one with a one-line message", () => {
    const missing = run([]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("usage:");
    const absent = run(["lib/cli/no-such-entry.ts"]);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toContain("lib/cli/no-such-entry.ts does not exist");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-compiled-"));
    try {
      const broken = path.join(dir, "broken.ts");
      fs.writeFileSync(broken, "const = ;\n");
      const result = run([broken]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${broken} did not build`);
      expect(result.stdout).toBe("");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
