import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../lib/test/databases";
import { PRESET_SERVER_FILE } from "./preset-server";
import { runningServices, stopServices } from "./preset-services";

// Serves the app for the end-to-end journeys on a database nobody else uses: a fresh one on
// the PostgreSQL server of TEST_DATABASE_URL, or a fresh embedded one in a temporary folder.
// The launcher (lib/cli/start.ts) migrates it and loads the demo preset, as `npm start` does.
// With E2E_EMPTY=1 the database stays empty and its URL goes to PRESET_SERVER_FILE: the preset
// journeys (e2e/presets.spec.ts) load one preset after another into it while it serves.

const env: NodeJS.ProcessEnv = { ...process.env };
const empty = process.env.E2E_EMPTY === "1";
// sessions need a signing secret; on PostgreSQL the launcher insists on being given one
env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
let cleanup: () => Promise<void>;
if (process.env.TEST_DATABASE_URL) {
  const database = await createTestDatabase(empty ? "greenlight_e2e_presets" : "greenlight_e2e");
  env.DATABASE_URL = database.url;
  cleanup = () => database.drop();
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
if (empty) {
  env.GREENLIGHT_SEED_PRESET = "none";
  fs.mkdirSync(path.dirname(PRESET_SERVER_FILE), { recursive: true });
  fs.writeFileSync(PRESET_SERVER_FILE, JSON.stringify({ databaseUrl: env.DATABASE_URL }));
}

// the demo's deploy script leaves a small service running per application × environment: the
// ones this run starts are stopped with it, so no later run finds their ports taken
const servicesDir = path.resolve(".data", "demo-services");
const before = empty ? null : new Set(runningServices(servicesDir));

const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/start.ts"], {
  stdio: "inherit",
  env,
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGTERM", () => forward("SIGTERM"));
process.on("SIGINT", () => forward("SIGINT"));
const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 0)));
if (before) stopServices(servicesDir, before);
await cleanup();
process.exit(code);
