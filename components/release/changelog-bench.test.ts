import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ADVERSARIAL_CHANGELOGS } from "./changelog-adversarial";

// Every changelog built to be slow, of the largest size a release may store, parsed and
// rendered to HTML by React's production build (as the server does) within a small bound. The
// numbers come from `npm run bench:changelog --json` in a process of its own, where React can
// load its production build. Each is the least of five runs: a busy machine can only add time,
// so the least is the code's own cost — the quadratic parser this replaced took 1.4 to 8 s on
// "[ repeated", whatever the run.

const BOUND_MS = 250;
const root = path.resolve(import.meta.dirname, "../..");

interface Timing {
  input: string;
  bytes: number;
  parseMs: { least: number };
  renderMs: { least: number };
}

describe("npm run bench:changelog", () => {
  it("renders every adversarial changelog of 64 KB within the bound", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "lib/cli/bench-changelog.ts", "--json"],
      { cwd: root, env: { ...process.env, BENCH_RUNS: "5" }, maxBuffer: 1 << 20 },
    );
    const timings = JSON.parse(stdout) as Timing[];
    expect(timings.map((t) => t.input)).toEqual(Object.keys(ADVERSARIAL_CHANGELOGS));
    const slow = timings.filter((t) => t.bytes !== 65_536 || t.renderMs.least >= BOUND_MS);
    expect(slow).toEqual([]);
  }, 60_000);
});
