import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { E2E_PORT } from "./sso-config";

// The second e2e server (E2E_EMPTY=1, see e2e/server.ts) serves a database of its own, empty
// of the demo. Each preset journey loads its preset into it with the real CLI, then points it
// at this machine: every deploy target keeps its preset's provider and settings, GitHub Actions
// targets get the local GitHub's address as their base URL (e2e/preset-providers.ts), and
// seed 003's `flyctl` finds a local stand-in on the server's PATH (e2e/bin/flyctl.mjs). An
// application × environment the preset gives no target (seeds 001 and 002 name no provider)
// deploys with the demo deploy script through the command provider, as an operator would set
// it up. Freeze windows are deleted so the walk does not depend on the day of the week
// (e2e/promotion-journey.spec.ts covers freezes).

export const PRESET_SERVER_FILE = "e2e/.auth/preset-server.json";

/**
 * The same for every other server (with TEST_DATABASE_URL only), written by e2e/server.ts: one
 * file per port, since the journeys' server and the single sign-on server each have their own.
 */
export function serverDatabaseFile(port: number | string): string {
  return `e2e/.auth/server-${port}.json`;
}

/** The database of the journeys' own server (on E2E_PORT). */
export function journeyDatabaseUrl(): string {
  const file = serverDatabaseFile(E2E_PORT);
  const { databaseUrl } = JSON.parse(fs.readFileSync(file, "utf8")) as { databaseUrl: string };
  return databaseUrl;
}

/**
 * The folder the preset walks deploy into, apart for each preset server's port: the demo deploy
 * script records its services under demo-services/ there, on free ports it picks and records
 * (so other runs and other checkouts never collide with them). The preset server's `flyctl`
 * lives in bin/.
 */
export function presetDataDir(presetPort: number | string): string {
  return path.resolve(".data", `e2e-presets-${presetPort}`);
}

export function presetDatabaseUrl(): string {
  const { databaseUrl } = JSON.parse(fs.readFileSync(PRESET_SERVER_FILE, "utf8")) as { databaseUrl: string };
  return databaseUrl;
}

/** `npm run db:seed -- --preset <name> --reset --password <password>` against that database. */
export function reseed(databaseUrl: string, preset: string, password: string): void {
  execFileSync("npm", ["run", "--silent", "db:seed", "--", "--preset", preset, "--reset", "--password", password], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
  });
}

export interface LocalDeploys {
  /** GREENLIGHT_DATA_DIR for the demo deploy script (presetDataDir) */
  dataDir: string;
  /** the local GitHub's API address (e2e/preset-providers.ts) */
  githubUrl: string;
}

/**
 * The preset's deploy targets lead to this machine; where it has none, the demo deploy script
 * runs through the command provider. No freeze windows.
 */
export async function deployLocally(databaseUrl: string, local: LocalDeploys): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query(`delete from "FreezeWindow"`);
    // only the address: owner, repository, workflow, ref, inputs and token variable stay the preset's
    await client.query(
      `update "DeployTarget" set config = config || jsonb_build_object('baseUrl', $1::text)
       where provider = 'github_actions'`,
      [local.githubUrl],
    );
    await client.query(
      `insert into "DeployTarget" (id, "applicationId", "environmentId", provider, config, "timeoutSeconds", "updatedAt")
       select gen_random_uuid(), a.id, e.id, 'command',
         json_build_object('command', 'node', 'args', json_build_array('lib/deploy/demo/deploy.mjs'),
           'env', json_build_object('GREENLIGHT_DATA_DIR', $1::text)),
         60, now()
       from "Application" a cross join "Environment" e
       where not exists (select 1 from "DeployTarget" t where t."applicationId" = a.id and t."environmentId" = e.id)`,
      [local.dataDir],
    );
    await client.query("commit");
  } catch (e) {
    await client.query("rollback");
    throw e;
  } finally {
    await client.end();
  }
}
