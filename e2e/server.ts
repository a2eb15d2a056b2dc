import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../lib/test/databases";

// Serves the app for the end-to-end journeys on a database nobody else uses: a fresh one on
// the PostgreSQL server of TEST_DATABASE_URL, or a fresh embedded one in a temporary folder.
// The launcher (lib/cli/start.ts) migrates it and loads the demo preset, as `npm start` does.

const env: NodeJS.ProcessEnv = { ...process.env };
// sessions need a signing secret; on PostgreSQL the launcher insists on being given one
env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
let cleanup: () => Promise<void>;
if (process.env.TEST_DATABASE_URL) {
  const database = await createTestDatabase("greenlight_e2e");
  env.DATABASE_URL = database.url;
  cleanup = () => database.drop();
} else {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-e2e-"));
  delete env.DATABASE_URL;
  env.GREENLIGHT_DATA_DIR = dataDir;
  cleanup = () => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true }));
}

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
