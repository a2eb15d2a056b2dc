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
  before: unknown;
  after: unknown;
  ip: string | null;
}

export const eventColumns = Prisma.sql`e.id, e.at, e.at::text as "atText", e."actorLabel", e."actorUserId", e."actorTokenId",
  e.action, e."entityType", e."entityId", e."environmentId", e.before, e.after, e.ip`;

export function toRow(row: EventRow, byId: Map<string, EnvironmentRef>): AuditEventRow {
  const environment = row.environmentId ? byId.get(row.environmentId) : undefined;
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
    environment: environment ? { key: environment.key, name: environment.name, color: environment.color } : null,
    summary: auditSentence({ ...row, actorKind, environment: environment?.name ?? null }),
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
  };
}
