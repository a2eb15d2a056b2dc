import "server-only";
import { db } from "../../db";

// When each flag was last evaluated in each environment (FlagEvaluationSeen), written by the flag
// evaluation service in batches (lib/serve/seen.ts), never on a request's path. One statement
// per batch. A flag or environment deleted since the snapshot was read is skipped rather than
// failing the batch. The table has no serve-version trigger: recording evaluations never makes
// the service reload what it serves.

export interface Sighting {
  flagId: string;
  environmentId: string;
  at: Date;
}

/** Upserts the sightings in one statement, keeping the later time of each pair. */
export async function recordFlagEvaluations(sightings: readonly Sighting[]): Promise<void> {
  if (sightings.length === 0) return;
  await db().$executeRaw`
    insert into "FlagEvaluationSeen" ("flagId", "environmentId", "lastEvaluatedAt")
    select distinct on (v.flag, v.environment) v.flag, v.environment, v.at_tz at time zone 'UTC'
    from unnest(
      ${sightings.map((s) => s.flagId)}::uuid[],
      ${sightings.map((s) => s.environmentId)}::uuid[],
      ${sightings.map((s) => s.at.toISOString())}::timestamptz[]
    ) as v(flag, environment, at_tz)
    join "FeatureFlag" f on f.id = v.flag
    join "Environment" e on e.id = v.environment
    -- a pair twice in one statement would be an error: keep its latest
    order by v.flag, v.environment, v.at_tz desc
    on conflict ("flagId", "environmentId")
    do update set "lastEvaluatedAt" = greatest("FlagEvaluationSeen"."lastEvaluatedAt", excluded."lastEvaluatedAt")`;
}
