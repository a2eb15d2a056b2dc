import "server-only";
import type { Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { defineOperation } from "../operation";
import { eventColumns, toRow, type EventRow } from "./rows";
import { conditionsOf, filtersInput, resolve, understood, where, type AuditFilterInput, type Resolved } from "./scope";
import type { AuditEventList } from "./types";

export const AUDIT_PAGE_SIZE = 50;

async function countEvents(resolved: Resolved): Promise<number> {
  const [row] = await db().$queryRaw<{ total: number }[]>`
    select count(*)::int as total from "AuditEvent" ${where(conditionsOf(resolved))}`;
  return row?.total ?? 0;
}

async function readPage(resolved: Resolved, page: number): Promise<{ rows: (EventRow & { total: number })[] }> {
  const offset = (page - 1) * AUDIT_PAGE_SIZE;
  // the total rides along as a window count over the filtered rows; the page's ids are found
  // on narrow (id, at) pairs before the wide JSON columns are read for those 50 rows only
  const rows = await db().$queryRaw<(EventRow & { total: number })[]>`
    with page as (
      select id, at, (count(*) over ())::int as total from "AuditEvent" ${where(conditionsOf(resolved))}
      order by at desc, id desc limit ${AUDIT_PAGE_SIZE} offset ${offset}
    )
    select ${eventColumns}, p.total from page p join "AuditEvent" e on e.id = p.id
    order by p.at desc, p.id desc`;
  return { rows };
}

/**
 * A page of audit events, newest first, within what the actor may read. Two queries (the
 * environments, then the page with its total); a page past the end costs one count and a
 * re-read of the last page.
 */
async function readEvents(actor: Actor, input: unknown): Promise<AuditEventList> {
  const asOf = new Date();
  const resolved = await resolve(actor, input, "audit.list");
  const base = {
    asOf,
    pageSize: AUDIT_PAGE_SIZE,
    filters: understood(resolved.filters),
    scope: resolved.scope.all ? ("all" as const) : ("environments" as const),
  };
  if (!resolved.scope.all && resolved.scope.environmentIds.length === 0)
    return { ...base, rows: [], total: 0, page: 1, pageCount: 1 };

  let page = resolved.filters.page;
  let { rows } = await readPage(resolved, page);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    total = await countEvents(resolved);
    page = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    if (total > 0) ({ rows } = await readPage(resolved, page));
  }
  return {
    ...base,
    rows: rows.map((row) => toRow(row, resolved.byId)),
    total,
    page: total === 0 ? 1 : page,
    pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
  };
}

const listRead = defineOperation({
  name: "audit.list",
  scope: "visible",
  effect: "read",
  input: filtersInput,
  run: ({ actor, input }) => readEvents(actor, input),
});

/** A page of audit events within what the actor may read (see readEvents). */
export function listAuditEvents(actor: Actor, input: AuditFilterInput = {}): Promise<AuditEventList> {
  return listRead(actor, input);
}
