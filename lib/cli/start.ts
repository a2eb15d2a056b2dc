import { type ChildProcess, spawn } from "node:child_process";
import { startDemoServices, stopDemoServices, type DemoServices } from "./demo-services";
import { parseEnv } from "../env";
import { deployMigrations } from "../migrate";
import { resolveAuthSecret, resolvePublicUrl } from "./auth-secret";
import { buildIfNeeded } from "./build";
import { onParentGone } from "./parent";
import { openDatabase, runMain } from "./run";
import { checkSeedPreset, DEMO_PASSWORD, seedDemoIfEmpty } from "./seed-demo";

// `npm start`: build if the sources changed, open the database (DATABASE_URL, or the embedded
// one under .data/), apply migrations, load the demo preset into an empty database, then serve
// pages (Next.js) and the flag evaluation endpoints on one port, from one child process, the app
// server (lib/cli/app-server.ts).
//
// The demo deploy script's services (lib/cli/demo-services.ts) live as long as this process:
// what ran when Greenlight last stopped is started again before the app server, and everything
// the demo started is stopped, and waited for, once the app server has exited — on SIGINT or
// SIGTERM, and when the process that started this one is gone. Killed outright, this process
// leaves the demo's proxies to notice (they watch it) and stop with their services.

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

  // passed on to the server, which waits for running deploys (a second one ends that wait), then
  // closes (lib/cli/app-server.ts); the demo's services stop and the embedded database closes
  // only once the server has exited. A signal before the server started: it is not started.
  let child: ChildProcess | null = null;
  let stopRequested = false;
  const stop = (signal: NodeJS.Signals) => {
    stopRequested = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  onParentGone(() => {
    // nobody may be reading our output any more: a write error must not end the stop halfway
    process.stdout.on("error", () => {});
    process.stderr.on("error", () => {});
    console.log("greenlight: the process that started Greenlight is gone: stopping");
    stop("SIGTERM");
  });

  // before the server, so no deploy races the restart and pages show where each release now runs
  let demo: DemoServices | null = null;
  try {
    demo = await startDemoServices(database.url);
  } catch (e) {
    console.error(`greenlight: the demo's services could not be restarted: ${(e as Error).message}`);
  }

  let code = 0;
  if (!stopRequested) {
    child = startAppServer({ dev, embedded, port: env.PORT, databaseUrl: database.url, authSecret, publicUrl });
    console.log(`\nGreenlight is starting on ${publicUrl.origin} (port ${env.PORT})`);
    // the embedded database starts as the demo: say how to get in (a server's users are its own)
    if (embedded && env.GREENLIGHT_SEED_PRESET === "demo")
      console.log(
        `Sign in as ana.admin@demo.example with the password "${DEMO_PASSWORD}" (more personas in the README).`,
      );
    console.log("");
    const running = child;
    code = await new Promise<number>((resolve) => running.on("exit", (c) => resolve(c ?? 0)));
  }
  try {
    // without a restart, still whatever the demo's targets started meanwhile
    await (demo ? demo.stop({ databaseUrl: database.url }) : stopDemoServices([], { databaseUrl: database.url }));
  } catch (e) {
    console.error(`greenlight: stopping the demo's services: ${(e as Error).message}`);
  }
  await database.close();
  process.exitCode = code;
}

/**
 * The app server (lib/cli/app-server.ts): the flag evaluation handler in front of Next.js, in
 * one process run without the react-server condition, as Next needs.
 */
function startAppServer(o: {
  dev: boolean;
  embedded: boolean;
  port: number;
  databaseUrl: string;
  authSecret: string;
  publicUrl: URL;
}): ChildProcess {
  return spawn(
    process.execPath,
    [
      "lib/cli/compiled.mjs",
      "--next-server",
      "lib/cli/app-server.ts",
      ...(o.dev ? ["--dev"] : []),
      ...(o.embedded ? ["--embedded"] : []),
    ],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        NODE_ENV: o.dev ? "development" : "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(o.port),
        DATABASE_URL: o.databaseUrl,
        AUTH_SECRET: o.authSecret,
        // every sign-in URL is built from the public address, never from a request's Host
        GREENLIGHT_URL: o.publicUrl.origin,
        AUTH_URL: o.publicUrl.origin,
        // the embedded server serves one connection
        ...(o.embedded ? { DATABASE_POOL_MAX: "1" } : {}),
      },
    },
  );
}

runMain(main);
