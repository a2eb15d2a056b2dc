import "server-only";
import { cache } from "react";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { auditActionLabel, auditSentence } from "@/lib/domain/audit-actions";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { audit } from "./audit";
import { authorize } from "./authz";
import { ValidationError } from "./errors";
import { parseInput } from "./operation";

// Reading the audit trail. audit.view is both global (admins: every event) and per environment
// ("Read only" cells: that environment's events only); events with no environment — sign-ins,
// user changes — need the global permission. These reads are not `defineOperation`s: their
// check is "globally, or in at least one environment", which the one-environment check of an
// operation cannot express. They use the same pieces instead (parseInput → 422, authorize →
// 403 + authz.denied), and audit-log.test.ts covers the three scopes.

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_CSV_MAX_ROWS = 50_000;
const CSV_BATCH = 1_000;

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
  environment: { key: string; name: string; color: string } | null;
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

// ─── input ───────────────────────────────────────────────────────────────────────────────────

// Query-string input: an empty field means "no filter"
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const day = z.preprocess(blank, z.iso.date({ message: "Enter a date as YYYY-MM-DD" }).optional());

const filtersInput = z
  .object({
    actor: z.preprocess(blank, z.string().trim().max(200, "Keep the actor search under 200 characters").optional()),
    action: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .regex(/^[a-z0-9_.-]{1,100}$/i, "Choose an action from the list")
        .optional(),
    ),
    environment: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .regex(/^[a-z0-9_-]{1,100}$/i, "Choose an environment from the list")
        .optional(),
    ),
    from: day,
    to: day,
    // a page number out of range or unreadable means the first page, not an error
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "“To” must be on or after “From”" });

type ParsedFilters = z.infer<typeof filtersInput>;

export type AuditFilterInput = Partial<Record<keyof ParsedFilters, string | number | undefined>>;

// ─── scope ───────────────────────────────────────────────────────────────────────────────────

interface EnvironmentRef {
  id: string;
  key: string;
  name: string;
  color: string;
}

type Scope = { all: true } | { all: false; environmentIds: string[] };

interface Resolved {
  scope: Scope;
  environments: EnvironmentRef[];
  byId: Map<string, EnvironmentRef>;
  /** the environment filter, when one was asked for */
  environment: EnvironmentRef | null;
  filters: ParsedFilters;
}

// once per request: the audit page reads the list and the filter options
const readEnvironments = cache((): Promise<EnvironmentRef[]> =>
  db().environment.findMany({
    select: { id: true, key: true, name: true, color: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
  }),
);

function scopeOf(actor: Actor, environments: EnvironmentRef[]): Scope {
  // a token limited to some environments holds audit.view only there, even though `can` lets
  // it use global permissions: otherwise it would read every sign-in of every user
  const global = can(actor, "audit.view", null) && (actor.kind === "user" || actor.environmentIds === null);
  if (global) return { all: true };
  return { all: false, environmentIds: environments.filter((e) => can(actor, "audit.view", e.id)).map((e) => e.id) };
}

/** Validate, resolve the environment filter and decide what the actor may read (or refuse). */
async function resolve(actor: Actor, raw: unknown, attempted: string): Promise<Resolved> {
  const filters = parseInput(filtersInput, raw);
  const environments = await readEnvironments();
  const byId = new Map(environments.map((e) => [e.id, e]));
  const scope = scopeOf(actor, environments);
  let environment: EnvironmentRef | null = null;
  if (filters.environment) {
    environment = environments.find((e) => e.key === filters.environment) ?? null;
    if (!environment)
      throw new ValidationError("Some fields need attention", { environment: ["There is no such environment"] });
  }
  const allowed =
    scope.all || (scope.environmentIds.length > 0 && (!environment || scope.environmentIds.includes(environment.id)));
  // authorize records the refusal as authz.denied and throws ForbiddenError
  if (!allowed) await authorize(actor, "audit.view", environment, attempted);
  return { scope, environments, byId, environment, filters };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The conditions: scope first, then each filter. Each can use one of the indexes. */
function conditionsOf({ scope, environment, filters }: Resolved): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (environment) conditions.push(Prisma.sql`"environmentId" = ${environment.id}::uuid`);
  else if (!scope.all)
    conditions.push(
      Prisma.sql`"environmentId" in (${Prisma.join(scope.environmentIds.map((id) => Prisma.sql`${id}::uuid`))})`,
    );
  if (filters.actor) conditions.push(Prisma.sql`"actorLabel" ilike ${`%${escapeLike(filters.actor)}%`}`);
  if (filters.action)
    conditions.push(
      filters.action.endsWith(".")
        ? Prisma.sql`action like ${`${escapeLike(filters.action)}%`}`
        : Prisma.sql`action = ${filters.action}`,
    );
  // dates are whole days in UTC, both ends included; the column holds UTC without a zone
  if (filters.from) conditions.push(Prisma.sql`at >= ${filters.from}::date`);
  if (filters.to) conditions.push(Prisma.sql`at < ${filters.to}::date + 1`);
  return conditions;
}

function where(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`where ${Prisma.join(conditions, " and ")}` : Prisma.empty;
}

function understood(filters: ParsedFilters): AuditFilters {
  const { actor, action, environment, from, to } = filters;
  // only the filters in use, so links built from them carry no empty parameters
  return Object.fromEntries(
    Object.entries({ actor, action, environment, from, to }).filter(([, v]) => v !== undefined),
  );
}

// ─── rows ────────────────────────────────────────────────────────────────────────────────────

interface EventRow {
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

const eventColumns = Prisma.sql`e.id, e.at, e.at::text as "atText", e."actorLabel", e."actorUserId", e."actorTokenId",
  e.action, e."entityType", e."entityId", e."environmentId", e.before, e.after, e.ip`;

function toRow(row: EventRow, byId: Map<string, EnvironmentRef>): AuditEventRow {
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
export async function listAuditEvents(actor: Actor, input: AuditFilterInput = {}): Promise<AuditEventList> {
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

// ─── filter options ──────────────────────────────────────────────────────────────────────────

/**
 * The actions seen within the actor's scope (one index probe per distinct action, walking the
 * (action, at) index instead of reading every event) and the environments they may filter by.
 */
export async function auditFilterOptions(actor: Actor): Promise<AuditFilterOptions> {
  const resolved = await resolve(actor, {}, "audit.list");
  const { scope } = resolved;
  const environments = scope.all
    ? resolved.environments
    : resolved.environments.filter((e) => scope.environmentIds.includes(e.id));
  let actions: string[] = [];
  if (scope.all || scope.environmentIds.length > 0) {
    const inScope = scope.all
      ? Prisma.sql`true`
      : Prisma.sql`"environmentId" in (${Prisma.join(scope.environmentIds.map((id) => Prisma.sql`${id}::uuid`))})`;
    const rows = await db().$queryRaw<{ action: string }[]>`
      with recursive seen(action) as (
        (select action from "AuditEvent" where ${inScope} order by action limit 1)
        union all
        select (select e.action from "AuditEvent" e where e.action > seen.action and ${inScope} order by e.action limit 1)
        from seen where seen.action is not null
      )
      select action from seen where action is not null`;
    actions = rows.map((r) => r.action);
  }
  const prefixes = new Map<string, number>();
  for (const action of actions) {
    const prefix = action.split(".")[0];
    if (prefix && action.includes(".")) prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
  }
  return {
    actionGroups: [...prefixes]
      .filter(([, n]) => n > 1)
      .map(([prefix]) => ({ value: `${prefix}.`, label: auditActionLabel(`${prefix}.`) })),
    actions: actions
      .map((action) => ({ value: action, label: auditActionLabel(action) }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    environments: environments.map(({ key, name }) => ({ key, name })),
    scope: scope.all ? "all" : "environments",
  };
}

// ─── CSV ─────────────────────────────────────────────────────────────────────────────────────

const CSV_HEADER = [
  "at",
  "actor",
  "actor_kind",
  "action",
  "action_label",
  "environment",
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
export async function exportAuditEventsCsv(actor: Actor, input: AuditFilterInput = {}): Promise<AuditCsv> {
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
