import { createDb, createPool, type Db } from "../db";
import { ConflictError } from "../data/errors";
import { loadPreset } from "../presets/load";
import { deployMigrations } from "../migrate";
import { emptyAllTables } from "../migrate/empty";
import { DEFAULT_PRESET, presetNames, presets } from "../../prisma/presets";
import { openDatabase, runMain, UsageError } from "./run";
import { randomBytes } from "node:crypto";
import { DEMO_PASSWORD, describeSummary } from "./seed-demo";

// npm run db:seed                              load the demo preset into an empty database
// npm run db:seed -- --preset <name>           load another preset (an unknown name lists them)
// npm run db:seed -- --preset <name> --reset   empty every table first (destroys all data)
// npm run db:seed -- --password <password>     the personas' password (demo: "greenlight",
//                                              other presets: a random one, printed once)

const USAGE = "usage: npm run db:seed -- [--preset <name>] [--reset] [--password <password>]";

function parseArgs(argv: string[]): { preset: string; reset: boolean; password: string | null } {
  let preset = DEFAULT_PRESET;
  let reset = false;
  let password: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--reset") reset = true;
    else if (arg === "--preset") {
      const value = argv[++i];
      if (!value) throw new UsageError(`--preset needs a name: ${presetNames.join(", ")}`);
      preset = value;
    } else if (arg.startsWith("--preset=")) preset = arg.slice("--preset=".length);
    else if (arg === "--password") {
      const value = argv[++i];
      if (!value || value.length < 8) throw new UsageError("--password needs at least 8 characters");
      password = value;
    } else throw new UsageError(`unknown argument "${arg}"; ${USAGE}`);
  }
  // checked before touching the database, so a typo costs nothing
  if (!presets[preset]) throw new UsageError(`unknown preset "${preset}": valid presets are ${presetNames.join(", ")}`);
  return { preset, reset, password };
}

const truncateAll = (client: Db) => emptyAllTables(client);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { preset, reset } = args;
  const password = args.password ?? (preset === "demo" ? DEMO_PASSWORD : randomBytes(12).toString("base64url"));
  const database = await openDatabase();
  const embedded = database.embedded !== null;
  try {
    await deployMigrations(database.url, { lock: !embedded });
    // the embedded server serves one connection
    const pool = createPool(database.url, embedded ? 1 : 4);
    const client = createDb(pool);
    try {
      if (reset) {
        await truncateAll(client);
        console.log("Emptied every table.");
      }
      const started = performance.now();
      const summary = await loadPreset(client, preset, { password }).catch((e: unknown) => {
        if (e instanceof ConflictError) throw new UsageError(`${e.message} (add --reset to empty it first)`);
        throw e;
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`Loaded the ${preset} preset in ${seconds} s: ${describeSummary(summary)}.`);
      console.log(`Every persona signs in with the password: ${password}`);
    } finally {
      await client.$disconnect();
      await pool.end();
    }
  } finally {
    await database.close();
  }
}

runMain(main);
