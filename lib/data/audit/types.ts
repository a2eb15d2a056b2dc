import "server-only";

// The shapes the audit pages and the CSV export read.

export type AuditActorKind = "user" | "token" | "system";

export interface AuditEventRow {
  id: string;
  at: Date;
  actorLabel: string;
  actorKind: AuditActorKind;
  action: string;
  actionLabel: string;
  entityType: string;
  entityId: string | null;
  /**
   * where it happened, named as it was then (stored with the event); `color` is the
   * environment's current one, neutral grey once it was deleted (`deleted`)
   */
  environment: { key: string; name: string; color: string; deleted: boolean } | null;
  /** the event as a sentence for people (lib/domain/audit-actions.ts) */
  summary: string;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/** The filters as understood (empty ones dropped), to fill the form and build links again. */
export interface AuditFilters {
  actor?: string;
  action?: string;
  environment?: string;
  from?: string;
  to?: string;
}

export interface AuditEventList {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  rows: AuditEventRow[];
  total: number;
  /** 1-based, clamped to the last page */
  page: number;
  pageSize: number;
  pageCount: number;
  filters: AuditFilters;
  /** "all": every event; "environments": only those of the environments the actor may audit */
  scope: "all" | "environments";
}

export interface AuditFilterOptions {
  /** prefixes covering several actions ("auth."), then each action seen in the actor's scope */
  actionGroups: { value: string; label: string }[];
  actions: { value: string; label: string }[];
  environments: { key: string; name: string }[];
  scope: "all" | "environments";
}
