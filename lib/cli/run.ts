import { EnvError, maskUrl, parseEnv } from "../env";
import { EmbeddedInUseError, startEmbedded, type EmbeddedDatabase } from "../embedded";
import { MigrationError } from "../migrate";
import { AuthSecretError } from "./auth-secret";
import pg from "pg";

// Shared plumbing for command-line tools: one-line errors instead of stack-trace walls, and
// "the database" meaning DATABASE_URL when set, the embedded one under .data/ otherwise.

export function fail(message: string): never {
  console.error(`greenlight: ${message}`);
  process.exit(1);
}

/** Runs a CLI main, printing known errors as one line. Exits explicitly: the wasm engine lingers. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e: unknown) => {
      if (
        e instanceof EnvError ||
        e instanceof MigrationError ||
        e instanceof EmbeddedInUseError ||
        e instanceof UsageError ||
        e instanceof AuthSecretError
      )
        fail(e.message);
      console.error(e);
      process.exit(1);
    },
  );
}

export class UsageError extends Error {}

/** Connects once to check that the server answers; fails within ~5 s naming the variable and host. */
export async function checkReachable(url: string, variable = "DATABASE_URL"): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (e) {
    const host = new URL(url).host;
    const reason = (e as Error).message || (e as NodeJS.ErrnoException).code || "no answer";
    fail(`cannot reach PostgreSQL at ${host} (${variable}=${maskUrl(url)}): ${reason}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/** DATABASE_URL if set (checked reachable), else the embedded database under GREENLIGHT_DATA_DIR. */
export async function openDatabase(): Promise<DatabaseHandle> {
  const env = parseEnv();
  if (env.DATABASE_URL) {
    await checkReachable(env.DATABASE_URL);
    return { url: env.DATABASE_URL, embedded: null, close: async () => {} };
  }
  const embedded = await startEmbedded({ dataDir: env.GREENLIGHT_DATA_DIR });
  return { url: embedded.url, embedded, close: () => embedded.stop() };
}
