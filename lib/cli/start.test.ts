import { spawn } from "node:child_process";
import { describe, expect, inject, it } from "vitest";

// `npm start` with a bad DATABASE_URL: fails fast, in one line naming the variable and host,
// password masked, non-zero exit — before building or touching anything.

function start(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string; stdout: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/start.ts"], {
      env: { ...process.env, AUTH_SECRET: "", DATABASE_URL: databaseUrl, PORT: "3999", ...extraEnv },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

describe("npm start with a bad DATABASE_URL", () => {
  it("refuses a malformed URL in one line", async () => {
    const r = await start("mysql//nope");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "greenlight: DATABASE_URL must look like postgresql://user:password@host:5432/database",
    ]);
  });

  it("fails within 10 s when the server is unreachable, naming host and masking the password", async () => {
    const r = await start("postgresql://ci:s3cret-pass@127.0.0.1:1/greenlight");
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^greenlight: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL=postgresql:\/\/ci:\*\*\*\*@127\.0\.0\.1:1\/greenlight\)/,
    );
    expect(r.stderr + r.stdout).not.toContain("s3cret-pass");
  });

  it("refuses to start on PostgreSQL without AUTH_SECRET, naming it", async () => {
    // the suite's own database is reachable; the check comes before any build or migration
    const r = await start(inject("databaseUrl"));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "greenlight: AUTH_SECRET is not set: it signs session cookies and every instance needs the same one (try: openssl rand -base64 32)",
    ]);
  });

  it("refuses to start on PostgreSQL without GREENLIGHT_URL, naming it", async () => {
    const r = await start(inject("databaseUrl"), { AUTH_SECRET: "x".repeat(32), GREENLIGHT_URL: "", AUTH_URL: "" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "greenlight: GREENLIGHT_URL is not set: the address people use to reach Greenlight, e.g. https://greenlight.example.com (sign-in callbacks are built from it)",
    ]);
  });

  it("refuses an AUTH_URL that disagrees with GREENLIGHT_URL", async () => {
    const r = await start(inject("databaseUrl"), {
      AUTH_SECRET: "x".repeat(32),
      GREENLIGHT_URL: "https://greenlight.example.com",
      AUTH_URL: "http://localhost:3000",
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "greenlight: AUTH_URL (http://localhost:3000) disagrees with GREENLIGHT_URL (https://greenlight.example.com): remove AUTH_URL, Greenlight sets it from GREENLIGHT_URL",
    );
  });
});
