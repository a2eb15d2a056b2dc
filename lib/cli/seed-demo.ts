import { createDb, createPool } from "../db";
import { databaseIsEmpty, loadPreset, type PresetSummary } from "../data/presets";

// Used by `npm start`: a fresh database gets the demo preset, so the first screen is not empty.
// A database holding anything at all is left alone.

export function describeSummary(s: PresetSummary): string {
  return [
    `${s.environments} environments`,
    `${s.roles} roles`,
    `${s.users} users`,
    `${s.flags} flags`,
    `${s.releases} releases`,
    `${s.deployments} deployments`,
  ].join(", ");
}

/**
 * The demo personas' shared password. Not a secret: the demo data is public, and `npm start`
 * prints it. Other presets get a random one (lib/cli/seed.ts) unless one is given.
 */
export const DEMO_PASSWORD = "greenlight";

export async function seedDemoIfEmpty(url: string, poolMax: number): Promise<void> {
  const pool = createPool(url, poolMax);
  const client = createDb(pool);
  try {
    if (!(await databaseIsEmpty(client))) return;
    const summary = await loadPreset(client, "demo", { password: DEMO_PASSWORD });
    console.log(`Loaded the demo preset: ${describeSummary(summary)}.`);
  } finally {
    await client.$disconnect();
    await pool.end();
  }
}
