import { spawn } from "node:child_process";
import { parseEnv } from "../env";
import { deployMigrations } from "../migrate";
import { resolveAuthSecret } from "./auth-secret";
import { buildIfNeeded } from "./build";
import { openDatabase, runMain } from "./run";
import { checkSeedPreset, DEMO_PASSWORD, seedDemoIfEmpty } from "./seed-demo";

// `npm start`: build if the sources changed, open the database (DATABASE_URL, or the embedded
// one under .data/), apply migrations, load the demo preset into an empty database, then serve.

async function main() {
  const env = parseEnv();
  checkSeedPreset(env.GREENLIGHT_SEED_PRESET);
  const dev = process.argv.includes("--dev");
  // the database first: a wrong DATABASE_URL must fail in seconds, not after a build
  const database = await openDatabase();
  const embedded = database.embedded !== null;
  let authSecret: string;
  try {
    authSecret = resolveAuthSecret({ embedded, dataDir: env.GREENLIGHT_DATA_DIR });
  } catch (e) {
    await database.close();
    throw e;
  }
  if (!dev) buildIfNeeded();
  console.log(
    embedded
      ? `Database: embedded PostgreSQL in ${env.GREENLIGHT_DATA_DIR}/`
      : "Database: PostgreSQL from DATABASE_URL",
  );
  const applied = await deployMigrations(database.url, {
    lock: !embedded,
    // under the same lock, so that two instances starting together seed once
    afterApply: () => seedDemoIfEmpty(database.url, embedded ? 1 : 2, env.GREENLIGHT_SEED_PRESET),
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
        AUTH_SECRET: authSecret,
        // the embedded server serves one connection
        ...(embedded ? { DATABASE_POOL_MAX: "1" } : {}),
      },
    },
  );
  console.log(`\nGreenlight is starting on http://localhost:${env.PORT}`);
  // the embedded database starts as the demo: say how to get in (a server's users are its own)
  if (embedded && env.GREENLIGHT_SEED_PRESET === "demo")
    console.log(
      `Sign in as ana.admin@demo.example with the password "${DEMO_PASSWORD}" (more personas in the README).`,
    );
  console.log("");

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
