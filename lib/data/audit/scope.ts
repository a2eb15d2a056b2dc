import "server-only";
import { cache } from "react";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../../db";
import { authorize } from "../authz";
import { ValidationError } from "../errors";
import { isoDay, parseInput } from "../input";
import type { AuditFilters } from "./types";

// What an audit read may see, and its filters as SQL. audit.view is both global (admins: every
// event) and per environment ("Read only" cells: that environment's events only); events with
// no environment (sign-ins, user changes) need the global permission. The reads are operations
// of the "visible" scope (lib/data/operation.ts) whose first step is `resolve` below: it
// validates (422), decides the scope and refuses (403 + authz.denied) someone who may read
// nothing asked for.

// ─── input ───────────────────────────────────────────────────────────────────────────────────

// Query-string input: an empty field means "no filter"
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
// years 1970–9999: PostgreSQL reads no year 0 (lib/data/input.ts)
const day = z.preprocess(blank, isoDay("Enter a date as YYYY-MM-DD").optional());

export const filtersInput = z
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

export type ParsedFilters = z.infer<typeof filtersInput>;

export type AuditFilterInput = Partial<Record<keyof ParsedFilters, string | number | undefined>>;

// ─── scope ───────────────────────────────────────────────────────────────────────────────────

export interface EnvironmentRef {
  id: string;
  key: string;
  name: string;
  color: string;
}

export type Scope = { all: true } | { all: false; environmentIds: string[] };

export interface Resolved {
  scope: Scope;
  environments: EnvironmentRef[];
  byId: Map<string, EnvironmentRef>;
  /** the environment filter, when one was asked for */
  environment: EnvironmentRef | null;
  filters: ParsedFilters;
}

// once per request: the audit page reads the list and the filter options
export const readEnvironments = cache((): Promise<EnvironmentRef[]> =>
  db().environment.findMany({
    select: { id: true, key: true, name: true, color: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
  }),
);

export function scopeOf(actor: Actor, environments: EnvironmentRef[]): Scope {
  // a token limited to some environments holds audit.view only there, even though `can` lets
  // it use global permissions: otherwise it would read every sign-in of every user
  const global = can(actor, "audit.view", null) && (actor.kind === "user" || actor.environmentIds === null);
  if (global) return { all: true };
  return { all: false, environmentIds: environments.filter((e) => can(actor, "audit.view", e.id)).map((e) => e.id) };
}

/** Validate, resolve the environment filter and decide what the actor may read (or refuse). */
export async function resolve(actor: Actor, raw: unknown, attempted: string): Promise<Resolved> {
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

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The conditions: scope first, then each filter. Each can use one of the indexes. */
export function conditionsOf({ scope, environment, filters }: Resolved): Prisma.Sql[] {
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

export function where(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`where ${Prisma.join(conditions, " and ")}` : Prisma.empty;
}

export function understood(filters: ParsedFilters): AuditFilters {
  const { actor, action, environment, from, to } = filters;
  // only the filters in use, so links built from them carry no empty parameters
  return Object.fromEntries(
    Object.entries({ actor, action, environment, from, to }).filter(([, v]) => v !== undefined),
  );
}
