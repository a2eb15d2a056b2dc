import "server-only";
import type { Actor } from "@/lib/domain/access";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../../db";
import { defineOperation } from "../operation";
import { audit } from "./record";
import { eventColumns, toRow, type EventRow } from "./rows";
import { conditionsOf, filtersInput, resolve, understood, where, type AuditFilterInput, type Resolved } from "./scope";
import type { AuditEventRow } from "./types";

export const AUDIT_CSV_MAX_ROWS = 50_000;
const CSV_BATCH = 1_000;

const CSV_HEADER = [
  "at",
  "actor",
  "actor_kind",
  "action",
  "action_label",
  "environment",
  "environment_name",
  "entity_type",
  "entity_id",
  "summary",
  "ip",
  "before",
  "after",
];

/**
 * One CSV field: a cell a spreadsheet would run as a formula (= + - @, or a tab or carriage
 * return that some programs skip before one) gets a leading single quote; then RFC 4180
 * quoting when the field holds a comma, a quote or a line break.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

function csvRecord(row: AuditEventRow): string[] {
  const json = (value: unknown) => (value === null || value === undefined ? "" : JSON.stringify(value));
  return [
    row.at.toISOString(),
    row.actorLabel,
    row.actorKind,
    row.action,
    row.actionLabel,
    row.environment?.key ?? "",
    row.environment?.name ?? "",
    row.entityType,
    row.entityId ?? "",
    row.summary,
    row.ip ?? "",
    json(row.before),
    json(row.after),
  ];
}

export interface AuditCsv {
  /** rows in the file (at most AUDIT_CSV_MAX_ROWS) */
  rows: number;
  /** more events matched than the file holds */
  truncated: boolean;
  /** the header line, then the events newest first, a batch at a time */
  chunks: AsyncIterable<string>;
}

interface Snapshot {
  total: number;
  /** the newest matching event when counted: the file ends its walk-back there */
  newest: { atText: string; id: string } | null;
}

/** How many events match, and the newest of them, in one query. */
async function snapshot(resolved: Resolved): Promise<Snapshot> {
  const filter = where(conditionsOf(resolved));
  const [row] = await db().$queryRaw<{ total: number; atText: string | null; id: string | null }[]>`
    select (select count(*)::int from "AuditEvent" ${filter}) as total, newest."atText", newest.id
    from (select 1) as one left join lateral (
      select at::text as "atText", id from "AuditEvent" ${filter} order by at desc, id desc limit 1
    ) as newest on true`;
  return {
    total: row?.total ?? 0,
    newest: row?.atText && row.id ? { atText: row.atText, id: row.id } : null,
  };
}

/**
 * The filtered events as CSV. Validation, authorization and the count happen before this
 * returns, so an HTTP route can still answer 401/403/422; the rows are then read in batches,
 * walking (at, id) backwards from the newest event counted — so a deep batch costs no more
 * than the first, and events written meanwhile (this export's own record among them) stay out
 * of a file whose size was already announced. The export is audited: who took a copy of the
 * trail, and of which part.
 */
async function exportCsv(actor: Actor, input: unknown): Promise<AuditCsv> {
  const resolved = await resolve(actor, input, "audit.export");
  const empty = !resolved.scope.all && resolved.scope.environmentIds.length === 0;
  const { total, newest } = empty ? { total: 0, newest: null } : await snapshot(resolved);
  const rows = Math.min(total, AUDIT_CSV_MAX_ROWS);
  await db().$transaction((tx) =>
    audit(tx, actor, {
      action: "audit.export",
      entityType: "AuditEvent",
      environmentId: resolved.environment?.id ?? null,
      after: { ...understood(resolved.filters), rows, truncated: total > rows },
    }),
  );

  async function* chunks(): AsyncGenerator<string> {
    yield csvLine(CSV_HEADER);
    if (!newest) return;
    const conditions = conditionsOf(resolved);
    let sent = 0;
    let cursor = Prisma.sql`(at, id) <= (${newest.atText}::timestamp, ${newest.id}::uuid)`;
    while (sent < rows) {
      const batch = await db().$queryRaw<EventRow[]>`
        select ${eventColumns} from "AuditEvent" e ${where([...conditions, cursor])}
        order by e.at desc, e.id desc limit ${Math.min(CSV_BATCH, rows - sent)}`;
      const last = batch.at(-1);
      if (!last) return;
      yield batch.map((row) => csvLine(csvRecord(toRow(row, resolved.byId)))).join("");
      sent += batch.length;
      cursor = Prisma.sql`(at, id) < (${last.atText}::timestamp, ${last.id}::uuid)`;
    }
  }
  return { rows, truncated: total > rows, chunks: chunks() };
}

const exportOperation = defineOperation({
  name: "audit.export",
  scope: "visible",
  input: filtersInput,
  run: ({ actor, input }) => exportCsv(actor, input),
});

/** The audit trail as CSV within what the actor may read; the export itself is audited. */
export function exportAuditEventsCsv(actor: Actor, input: AuditFilterInput = {}): Promise<AuditCsv> {
  return exportOperation(actor, input);
}
