import { db } from "../db";
import { emptyAllTables, emptyAuditTrail } from "../migrate/empty";

/** Empties every table (keeping the migrations record) so each test starts from nothing. */
export async function resetDatabase(): Promise<void> {
  await emptyAllTables(db());
}

/** An empty audit trail, the rest kept: for tests that read exactly the events they write. */
export async function resetAuditTrail(): Promise<void> {
  await emptyAuditTrail(db());
}
