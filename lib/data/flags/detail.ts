import "server-only";
import { z } from "zod";
import { can } from "@/lib/domain/access";
import { parseRules, ruleLines } from "@/lib/domain/flag-evaluation";
import { db } from "../../db";
import { eventColumns, toRow, type EventRow } from "../audit/rows";
import { NotFoundError } from "../errors";
import { defineOperation } from "../operation";

// One flag's page (/flags/[key]): what it is, its state in each environment the viewer may see,
// its change requests and scheduled changes there, and its history. Anyone signed in may read
// it, but nothing of an environment they may not view comes back: no state, no request, no
// event. Events about the flag as a whole (created, archived) have no environment and show to
// all. Archived flags read too: they are kept for their history.

export const HISTORY_LIMIT = 100;

export interface FlagStateText {
  enabled: boolean;
  /** null: everyone gets it when enabled */
  rolloutPercent: number | null;
  /** targeting rules one a line, as people write them ("" for none) */
  rules: string;
}

export interface FlagDetailEnvironment {
  key: string;
  name: string;
  color: string;
  state: FlagStateText;
}

export interface FlagDetailChangeRequest {
  id: string;
  environment: { key: string; name: string };
  status: string;
  proposed: FlagStateText;
  /** the author's name as it is now; null once their account is gone */
  author: string | null;
  reason: string;
  createdAt: Date;
  /** why it is stale, rejected or withdrawn */
  outcome: string | null;
}

export interface FlagDetailScheduled {
  id: string;
  environment: { key: string; name: string };
  status: string;
  proposed: FlagStateText;
  runAt: Date;
  failure: string | null;
}

export interface FlagDetailEvent {
  id: string;
  at: Date;
  actorLabel: string;
  actionLabel: string;
  /** where it happened, named as it was then; null for the flag as a whole */
  environment: { key: string; name: string } | null;
  /** the event in words, before → after */
  summary: string;
}

export interface FlagDetail {
  key: string;
  name: string;
  description: string | null;
  category: string;
  owner: string | null;
  createdAt: Date;
  archivedAt: Date | null;
  /** the viewer may archive or restore it (flag.manage) */
  canManage: boolean;
  environments: FlagDetailEnvironment[];
  changeRequests: FlagDetailChangeRequest[];
  scheduled: FlagDetailScheduled[];
  /** newest first, at most HISTORY_LIMIT */
  history: FlagDetailEvent[];
  historyTruncated: boolean;
  /** when this was read: relative times count from here */
  asOf: Date;
}

const textOf = (s: { enabled: boolean; rolloutPercent: number | null; rules: unknown }): FlagStateText => ({
  enabled: s.enabled,
  rolloutPercent: s.rolloutPercent,
  rules: ruleLines(parseRules(s.rules)),
});

const OFF: FlagStateText = { enabled: false, rolloutPercent: null, rules: "" };

export const flagDetail = defineOperation({
  name: "flag.detail",
  scope: "visible",
  effect: "read",
  input: z.object({ key: z.string().trim().min(1).max(100) }),
  async run({ actor, input }): Promise<FlagDetail> {
    const asOf = new Date();
    const flag = await db().featureFlag.findUnique({
      where: { key: input.key },
      select: {
        id: true,
        key: true,
        name: true,
        description: true,
        category: true,
        owner: true,
        createdAt: true,
        archivedAt: true,
      },
    });
    if (!flag) throw new NotFoundError(`Flag "${input.key}"`);
    const all = await db().environment.findMany({
      select: { id: true, key: true, name: true, color: true },
      orderBy: [{ position: "asc" }, { key: "asc" }],
    });
    const visible = all.filter((e) => can(actor, "environment.view", e.id));
    const ids = visible.map((e) => e.id);
    const byId = new Map(visible.map((e) => [e.id, e]));
    const where = { flagId: flag.id, environmentId: { in: ids } };
    const [states, requests, scheduled, events] = await Promise.all([
      db().flagState.findMany({
        where,
        select: { environmentId: true, enabled: true, rolloutPercent: true, rules: true },
      }),
      db().flagChangeRequest.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: HISTORY_LIMIT,
        select: {
          id: true,
          environmentId: true,
          status: true,
          enabled: true,
          rolloutPercent: true,
          rules: true,
          reason: true,
          createdAt: true,
          outcome: true,
          author: { select: { name: true, email: true } },
        },
      }),
      db().scheduledFlagChange.findMany({
        where,
        orderBy: [{ runAt: "desc" }, { id: "desc" }],
        take: HISTORY_LIMIT,
        select: {
          id: true,
          environmentId: true,
          status: true,
          enabled: true,
          rolloutPercent: true,
          rules: true,
          runAt: true,
          failure: true,
        },
      }),
      // the flag's own events, in visible environments or none; one more than shown, to know
      db().$queryRaw<EventRow[]>`
        select ${eventColumns} from "AuditEvent" e
        where e."entityType" = 'FeatureFlag' and e."entityId" = ${flag.key} and e.action <> 'authz.denied'
          and (e."environmentId" is null or e."environmentId" = any(${ids}::uuid[]))
        order by e.at desc, e.id desc
        limit ${HISTORY_LIMIT + 1}`,
    ]);
    const stateOf = new Map(states.map((s) => [s.environmentId, textOf(s)]));
    // every row was read from a visible environment
    const placeOf = (environmentId: string) => {
      const e = byId.get(environmentId)!;
      return { key: e.key, name: e.name };
    };
    return {
      key: flag.key,
      name: flag.name,
      description: flag.description,
      category: flag.category,
      owner: flag.owner,
      createdAt: flag.createdAt,
      archivedAt: flag.archivedAt,
      canManage: can(actor, "flag.manage"),
      environments: visible.map((e) => ({ key: e.key, name: e.name, color: e.color, state: stateOf.get(e.id) ?? OFF })),
      changeRequests: requests.map((r) => ({
        id: r.id,
        environment: placeOf(r.environmentId),
        status: r.status.toLowerCase(),
        proposed: textOf(r),
        author: r.author ? (r.author.name ?? r.author.email) : null,
        reason: r.reason,
        createdAt: r.createdAt,
        outcome: r.outcome,
      })),
      scheduled: scheduled.map((s) => ({
        id: s.id,
        environment: placeOf(s.environmentId),
        status: s.status.toLowerCase(),
        proposed: textOf(s),
        runAt: s.runAt,
        failure: s.failure,
      })),
      history: events.slice(0, HISTORY_LIMIT).map((row) => {
        const event = toRow(row, byId);
        return {
          id: event.id,
          at: event.at,
          actorLabel: event.actorLabel,
          actionLabel: event.actionLabel,
          environment: event.environment ? { key: event.environment.key, name: event.environment.name } : null,
          summary: event.summary,
        };
      }),
      historyTruncated: events.length > HISTORY_LIMIT,
      asOf,
    };
  },
});
