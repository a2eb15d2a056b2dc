import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../lib/test/databases";
import { PRESET_SERVER_FILE, presetDataDir, serverDatabaseFile } from "./preset-server";

// Serves the app for the end-to-end journeys on a database nobody else uses: a fresh one on
// the PostgreSQL server of TEST_DATABASE_URL, or a fresh embedded one in a temporary folder.
// The launcher (lib/cli/start.ts) migrates it and loads the demo preset, as `npm start` does.
// With E2E_EMPTY=1 the database stays empty and its URL goes to PRESET_SERVER_FILE: the preset
// journeys (e2e/presets.spec.ts) load one preset after another into it while it serves.

const env: NodeJS.ProcessEnv = { ...process.env };
const empty = process.env.E2E_EMPTY === "1";
// sessions need a signing secret and a public address; on PostgreSQL the launcher insists on
// being given both
env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
env.GREENLIGHT_URL ??= `http://localhost:${process.env.PORT ?? "3000"}`;
// the journeys stand in for a reverse proxy on this machine: each sends its own made-up client
// address in X-Forwarded-For (sign-in delays count per address), which counts only from a
// trusted proxy
env.GREENLIGHT_TRUSTED_PROXIES ??= "127.0.0.1,::1";
let cleanup: () => Promise<void>;
if (process.env.TEST_DATABASE_URL) {
  const database = await createTestDatabase(empty ? "greenlight_e2e_presets" : "greenlight_e2e");
  env.DATABASE_URL = database.url;
  // a data folder of its own too: the demo deploy script keeps its services there, apart from
  // those of a developer's `npm start` in the same checkout (<checkout>/.data)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-e2e-"));
  env.GREENLIGHT_DATA_DIR = dataDir;
  cleanup = async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
} else if (empty) {
  // another process reseeds it while the server runs: the embedded database serves one process
  console.error("E2E_EMPTY=1 needs TEST_DATABASE_URL (a PostgreSQL server)");
  process.exit(1);
} else {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-e2e-"));
  delete env.DATABASE_URL;
  env.GREENLIGHT_DATA_DIR = dataDir;
  cleanup = () => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true }));
}
if (!empty && process.env.TEST_DATABASE_URL) {
  // for the few journeys that must age a row no page can (e2e/second-factor.spec.ts: a sign-in
  // older than the 15 minutes a token needs); each server under its own port
  const file = serverDatabaseFile(process.env.PORT ?? "3000");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ databaseUrl: env.DATABASE_URL }));
}
if (empty) {
  env.GREENLIGHT_SEED_PRESET = "none";
  fs.mkdirSync(path.dirname(PRESET_SERVER_FILE), { recursive: true });
  fs.writeFileSync(PRESET_SERVER_FILE, JSON.stringify({ databaseUrl: env.DATABASE_URL }));
  env.PATH = `${installFlyctl(presetDataDir(process.env.PORT ?? "3000"))}${path.delimiter}${env.PATH ?? ""}`;
}

/**
 * Seed 003's targets run `flyctl deploy …` (the command provider, as the preset configures it):
 * this server, and only this one, finds the walks' local stand-in for the Fly.io CLI first on
 * its PATH. A `flyctl` in <dataDir>/bin runs e2e/bin/flyctl.mjs with the walks' data folder, since
 * the command provider passes the command no variable but PATH, HOME, LANG and Greenlight's.
 */
function installFlyctl(dataDir: string): string {
  const bin = path.join(dataDir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const standIn = path.resolve("e2e/bin/flyctl.mjs");
  fs.writeFileSync(
    path.join(bin, "flyctl"),
    "#!/bin/sh\n# written by e2e/server.ts: the preset walks' local stand-in for the Fly.io CLI (see e2e/bin/flyctl.mjs)\n" +
      `GREENLIGHT_DATA_DIR=${quote(dataDir)} exec ${quote(process.execPath)} ${quote(standIn)} "$@"\n`,
  );
  fs.chmodSync(path.join(bin, "flyctl"), 0o755);
  return bin;
}

// The demo deploy script's services (a proxy and two colours per application × environment) are
// the launcher's: it stops them, and waits until they are gone, when it stops
// (lib/cli/demo-services.ts). When killed outright, their proxies notice and stop by themselves.
const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/start.ts"], {
  stdio: "inherit",
  env,
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGTERM", () => forward("SIGTERM"));
process.on("SIGINT", () => forward("SIGINT"));
const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 0)));
await cleanup();
process.exit(code);
