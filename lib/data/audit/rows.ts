import "server-only";
import { auditActionLabel, auditSentence } from "@/lib/domain/audit-actions";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentRef } from "./scope";
import type { AuditEventRow } from "./types";

export interface EventRow {
  id: string;
  at: Date;
  atText: string;
  actorLabel: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  environmentId: string | null;
  /** the environment's key and name when the event happened (null on rows from before they were kept) */
  environmentKey: string | null;
  environmentName: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export const eventColumns = Prisma.sql`e.id, e.at, e.at::text as "atText", e."actorLabel", e."actorUserId", e."actorTokenId",
  e.action, e."entityType", e."entityId", e."environmentId", e."environmentKey", e."environmentName", e.before, e.after, e.ip`;

/** The neutral colour of an environment that no longer exists (its row keeps its names). */
export const GONE_ENVIRONMENT_COLOR = "#64748b";

/**
 * What the event says about its environment: the key and name stored with it (as they were
 * then), the colour of the environment as it is now, when it still exists. Rows written before
 * the names were stored fall back to the environment's current names.
 */
function environmentOf(row: EventRow, byId: Map<string, EnvironmentRef>): AuditEventRow["environment"] {
  if (!row.environmentId) return null;
  const now = byId.get(row.environmentId);
  const key = row.environmentKey ?? now?.key;
  const name = row.environmentName ?? now?.name;
  if (!key || !name) return null;
  return { key, name, color: now?.color ?? GONE_ENVIRONMENT_COLOR, deleted: !now };
}

/**
 * A stored event as the pages and the CSV show it. Everything comes from the row itself (who,
 * where, what), so an event reads the same after its user, token or environment is deleted.
 */
export function toRow(row: EventRow, byId: Map<string, EnvironmentRef>): AuditEventRow {
  const environment = environmentOf(row, byId);
  const actorKind = row.actorTokenId ? "token" : row.actorUserId || row.actorLabel !== "system" ? "user" : "system";
  return {
    id: row.id,
    at: row.at,
    actorLabel: row.actorLabel,
    actorKind,
    action: row.action,
    actionLabel: auditActionLabel(row.action),
    entityType: row.entityType,
    entityId: row.entityId,
    environment,
    summary: auditSentence({ ...row, actorKind, environment: environment?.name ?? null }),
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
  };
}
