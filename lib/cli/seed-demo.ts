import { randomBytes } from "node:crypto";
import { createDb, createPool } from "../db";
import { databaseIsEmpty, loadPreset, type PresetSummary } from "../presets/load";
import { EnvError } from "../env";
import { presetNames } from "../../prisma/presets";

// Used by `npm start`: a fresh database gets the demo preset, so the first screen is not empty.
// A database holding anything at all is left alone. GREENLIGHT_SEED_PRESET names another
// preset, or "none" for a database left empty (the end-to-end tests load presets themselves).

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

export const NO_SEED = "none";

/** Checked before anything is built or migrated, so a typo costs nothing. */
export function checkSeedPreset(name: string): void {
  if (name !== NO_SEED && !presetNames.includes(name))
    throw new EnvError(`GREENLIGHT_SEED_PRESET must be "${NO_SEED}" or a preset: ${presetNames.join(", ")}`);
}

export async function seedDemoIfEmpty(url: string, poolMax: number, preset = "demo"): Promise<void> {
  if (preset === NO_SEED) return;
  const pool = createPool(url, poolMax);
  const client = createDb(pool);
  try {
    if (!(await databaseIsEmpty(client))) return;
    // like `npm run db:seed`: the demo's password is public, any other preset gets its own
    const password = preset === "demo" ? DEMO_PASSWORD : randomBytes(12).toString("base64url");
    const summary = await loadPreset(client, preset, { password });
    console.log(`Loaded the ${preset} preset: ${describeSummary(summary)}.`);
    if (preset !== "demo") console.log(`Every persona signs in with the password: ${password}`);
  } finally {
    await client.$disconnect();
    await pool.end();
  }
}
