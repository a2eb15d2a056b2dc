import { spawn } from "node:child_process";
import { parseEnv } from "../env";
import { deployMigrations } from "../migrate";
import { resolveAuthSecret, resolvePublicUrl } from "./auth-secret";
import { buildIfNeeded } from "./build";
import { openDatabase, runMain } from "./run";
import { checkSeedPreset, DEMO_PASSWORD, seedDemoIfEmpty } from "./seed-demo";

// `npm start`: build if the sources changed, open the database (DATABASE_URL, or the embedded
// one under .data/), apply migrations, load the demo preset into an empty database, then serve
// pages (Next.js) and the flag evaluation endpoints on one port, from one child process, the app
// server (lib/cli/app-server.ts).

async function main() {
  const env = parseEnv();
  checkSeedPreset(env.GREENLIGHT_SEED_PRESET);
  const dev = process.argv.includes("--dev");
  // the database first: a wrong DATABASE_URL must fail in seconds, not after a build
  const database = await openDatabase();
  const embedded = database.embedded !== null;
  let authSecret: string;
  let publicUrl: URL;
  try {
    authSecret = resolveAuthSecret({ embedded, dataDir: env.GREENLIGHT_DATA_DIR });
    publicUrl = resolvePublicUrl({ embedded, port: env.PORT, configured: env.GREENLIGHT_URL });
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

  // the app server (lib/cli/app-server.ts): the flag evaluation handler in front of Next.js, in
  // one process run without the react-server condition, as Next needs
  const child = spawn(
    process.execPath,
    [
      "lib/cli/compiled.mjs",
      "--next-server",
      "lib/cli/app-server.ts",
      ...(dev ? ["--dev"] : []),
      ...(embedded ? ["--embedded"] : []),
    ],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        NODE_ENV: dev ? "development" : "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(env.PORT),
        DATABASE_URL: database.url,
        AUTH_SECRET: authSecret,
        // every sign-in URL is built from the public address, never from a request's Host
        GREENLIGHT_URL: publicUrl.origin,
        AUTH_URL: publicUrl.origin,
        // the embedded server serves one connection
        ...(embedded ? { DATABASE_POOL_MAX: "1" } : {}),
      },
    },
  );
  console.log(`\nGreenlight is starting on ${publicUrl.origin} (port ${env.PORT})`);
  // the embedded database starts as the demo: say how to get in (a server's users are its own)
  if (embedded && env.GREENLIGHT_SEED_PRESET === "demo")
    console.log(
      `Sign in as ana.admin@demo.example with the password "${DEMO_PASSWORD}" (more personas in the README).`,
    );
  console.log("");

  // passed on to the server, which waits for running deploys (a second one ends that wait), then
  // closes (lib/cli/app-server.ts); the embedded database closes only once the server has exited
  const stop = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 0)));
  await database.close();
  process.exitCode = code;
}

runMain(main);
