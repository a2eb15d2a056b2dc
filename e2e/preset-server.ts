import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

// The second e2e server (E2E_EMPTY=1, see e2e/server.ts) serves a database of its own, empty
// of the demo. Each preset journey loads its preset into it with the real CLI, then adapts
// what cannot work on this machine: deploys go through the command provider running the demo
// deploy script (GitHub Actions, webhooks and flyctl need endpoints that are unreachable
// here), and freeze windows are deleted so the walk does not depend on the day of the week
// (e2e/promotion-journey.spec.ts covers freezes).

export const PRESET_SERVER_FILE = "e2e/.auth/preset-server.json";

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
  /**
   * the deploy script's GREENLIGHT_DATA_DIR: it records its services under demo-services/, and
   * picks their ports itself, apart from other folders' (other runs, other checkouts)
   */
  dataDir: string;
}

/** Every application × environment deploys with lib/deploy/demo/deploy.mjs; no freeze windows. */
export async function deployLocally(databaseUrl: string, local: LocalDeploys): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query(`delete from "FreezeWindow"`);
    await client.query(`delete from "DeployTarget"`);
    await client.query(
      `insert into "DeployTarget" (id, "applicationId", "environmentId", provider, config, "timeoutSeconds", "updatedAt")
       select gen_random_uuid(), a.id, e.id, 'command',
         json_build_object('command', 'node', 'args', json_build_array('lib/deploy/demo/deploy.mjs'),
           'env', json_build_object('GREENLIGHT_DATA_DIR', $1::text)),
         60, now()
       from "Application" a cross join "Environment" e`,
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
