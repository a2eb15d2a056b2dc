import "server-only";
import { parseRules, type FlagRuleSet } from "@/lib/domain/flag-evaluation";
import { db } from "../../db";

// What the flag evaluation service (lib/serve/flags.ts) serves, read whole into memory: every
// environment, every flag that is not archived with its state there (none yet: off), and the SDK
// keys that work. Read in one repeatable-read transaction with the version it belongs to, so a
// snapshot is never half of one change and half of the next. Not an operation: the service
// authorizes each request itself, by SDK key.

export interface SnapshotEnvironment {
  id: string;
  key: string;
  name: string;
  /** by flag key, in key order */
  flags: Map<string, FlagRuleSet>;
  /** flag key → FeatureFlag.id (one map for every environment), to record evaluations */
  flagIds: Map<string, string>;
}

export interface FlagSnapshot {
  /** FlagServeVersion.version: moves on every change to what is served */
  version: string;
  /** by environment key, in pipeline order */
  environments: Map<string, SnapshotEnvironment>;
  /** sha256 of each working SDK key → its environment's key */
  sdkKeys: Map<string, string>;
}

/** The current version alone: one indexed row, cheap enough to ask every second. */
export async function flagServeVersion(): Promise<string> {
  const [row] = await db().$queryRaw<{ version: bigint }[]>`select "version" from "FlagServeVersion" where "id" = 1`;
  return String(row?.version ?? 0n);
}

export async function loadFlagSnapshot(): Promise<FlagSnapshot> {
  const [versionRows, environments, flags, states, keys] = await db().$transaction(
    [
      db().$queryRaw<{ version: bigint }[]>`select "version" from "FlagServeVersion" where "id" = 1`,
      db().$queryRaw<{ id: string; key: string; name: string }[]>`
        select id, key, name from "Environment" order by position, key`,
      db().$queryRaw<{ id: string; key: string }[]>`
        select id, key from "FeatureFlag" where "archivedAt" is null order by key`,
      db().$queryRaw<
        { flagId: string; environmentId: string; enabled: boolean; rolloutPercent: number | null; rules: unknown }[]
      >`select "flagId", "environmentId", enabled, "rolloutPercent", rules from "FlagState"`,
      db().$queryRaw<{ keyHash: string; environmentId: string }[]>`
        select "keyHash", "environmentId" from "SdkKey" where "revokedAt" is null`,
    ],
    { isolationLevel: "RepeatableRead" },
  );
  const stateOf = new Map(states.map((s) => [`${s.flagId}/${s.environmentId}`, s]));
  const byId = new Map<string, SnapshotEnvironment>();
  const snapshot: FlagSnapshot = {
    version: String(versionRows[0]?.version ?? 0n),
    environments: new Map(),
    sdkKeys: new Map(),
  };
  const flagIds = new Map(flags.map((f) => [f.key, f.id]));
  for (const e of environments) {
    const entry: SnapshotEnvironment = { id: e.id, key: e.key, name: e.name, flags: new Map(), flagIds };
    for (const f of flags) {
      const s = stateOf.get(`${f.id}/${e.id}`);
      entry.flags.set(f.key, {
        enabled: s?.enabled ?? false,
        rolloutPercent: s?.rolloutPercent ?? null,
        rules: parseRules(s?.rules),
      });
    }
    byId.set(e.id, entry);
    snapshot.environments.set(e.key, entry);
  }
  for (const k of keys) {
    const environment = byId.get(k.environmentId);
    if (environment) snapshot.sdkKeys.set(k.keyHash, environment.key);
  }
  return snapshot;
}
