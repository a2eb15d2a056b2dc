import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "../env";
import { deployMigrations } from "../migrate";
import { openDatabase, runMain } from "./run";
import { seedDemoIfEmpty } from "./seed-demo";

// `npm start`: build if the sources changed, open the database (DATABASE_URL, or the embedded
// one under .data/), apply migrations, load the demo preset into an empty database, then serve.

const ROOT = process.cwd();
const SOURCES = ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.js", "package-lock.json", "postcss.config.mjs"];
const IGNORED = new Set(["generated", "node_modules", "test"]);

function newestSourceTime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) {
    if (IGNORED.has(child) || child.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestSourceTime(path.join(entry, child)));
  }
  return newest;
}

function buildIfNeeded(): void {
  const buildId = fs.statSync(path.join(ROOT, ".next/BUILD_ID"), { throwIfNoEntry: false });
  const newest = Math.max(...SOURCES.map((s) => newestSourceTime(path.join(ROOT, s))));
  if (buildId && buildId.mtimeMs >= newest) return;
  console.log(buildId ? "Sources changed since the last build: building…" : "No build yet: building (about a minute)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed (see above)");
}

async function main() {
  const env = parseEnv();
  const dev = process.argv.includes("--dev");
  if (!dev) buildIfNeeded();

  const database = await openDatabase();
  const embedded = database.embedded !== null;
  console.log(embedded ? `Database: embedded PostgreSQL in ${env.GREENLIGHT_DATA_DIR}/` : "Database: PostgreSQL from DATABASE_URL");
  const applied = await deployMigrations(database.url, {
    lock: !embedded,
    // under the same lock, so that two instances starting together seed once
    afterApply: () => seedDemoIfEmpty(database.url, embedded ? 1 : 2),
  });
  if (applied.length) console.log(`Applied ${applied.length} migration(s).`);

  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", dev ? "dev" : "start", "-p", String(env.PORT)],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        // the embedded server serves one connection
        ...(embedded ? { DATABASE_POOL_MAX: "1" } : {}),
      },
    },
  );
  console.log(`\nGreenlight is starting on http://localhost:${env.PORT}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 0)));
  await database.close();
  process.exitCode = code;
}

runMain(main);
