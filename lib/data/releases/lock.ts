import "server-only";
import type { Sql } from "../context";
import { NotFoundError } from "../errors";

// Decisions, ticks and promotions of one release take its row lock first, so a promotion sees
// either all of a concurrent approval or none of it, and no decision changes once the promotion
// has started. FOR NO KEY UPDATE leaves foreign-key checks (inserting a log line, say) unblocked.

export interface LockedRelease {
  id: string;
  applicationId: string;
  createdById: string | null;
}

export async function lockRelease(sql: Sql, releaseId: string): Promise<LockedRelease> {
  const [row] = await sql.$queryRaw<LockedRelease[]>`
    select id, "applicationId", "createdById" from "Release" where id = ${releaseId}::uuid for no key update`;
  if (!row) throw new NotFoundError("Release");
  return row;
}

/**
 * One deploy at a time per application × environment, across releases and app instances:
 * a transaction-scoped advisory lock, released at commit or rollback.
 */
export async function lockApplicationEnvironment(sql: Sql, applicationId: string, environmentId: string) {
  await sql.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`deploy:${applicationId}:${environmentId}`}, 0))`;
}
