import "server-only";
import { can, type Actor } from "@/lib/domain/access";
import { parseRules, type TargetingRule } from "@/lib/domain/flag-evaluation";
import { staleReason } from "@/lib/domain/flag-staleness";
import { db } from "../../db";
import { env } from "../../env";
import { noInput } from "../input";
import { defineOperation } from "../operation";

// The flag grid (/flags): every flag × every environment the viewer may see (archived flags are
// marked, and the page hides them unless asked), with each cell's state and whether the viewer may change it there. Environments the
// viewer may not see are not mentioned at all. Two queries, whatever the size.

export interface FlagGridCell {
  enabled: boolean;
  /** null: everyone gets it when enabled */
  rolloutPercent: number | null;
  /** targeting rules in force when enabled: these contexts get it whatever the share */
  rules: TargetingRule[];
}

export interface FlagGridRow {
  key: string;
  name: string;
  description: string | null;
  category: string;
  /** by environment key; a missing state is off */
  cells: Record<string, FlagGridCell>;
  /** the visible environments do not all give the same answer */
  differs: boolean;
  /** why the flag is stale (lib/domain/flag-staleness.ts), judged on every environment; null: it is not */
  stale: string | null;
  /** no longer served; read-only, kept for history */
  archived: boolean;
}

export interface FlagGrid {
  environments: {
    key: string;
    name: string;
    color: string | null;
    canToggle: boolean;
    /** approvals a flag change here needs (four eyes); 0: changes apply at once */
    approvals: number;
    /** may apply a change without approval, on the record (environment.manage) */
    canOverride: boolean;
  }[];
  /** by category, then key */
  flags: FlagGridRow[];
}

const OFF: FlagGridCell = { enabled: false, rolloutPercent: null, rules: [] };
const same = (a: FlagGridCell, b: FlagGridCell) =>
  a.enabled === b.enabled &&
  (!a.enabled || (a.rolloutPercent === b.rolloutPercent && JSON.stringify(a.rules) === JSON.stringify(b.rules)));

async function readGrid(actor: Actor): Promise<FlagGrid> {
  const [environmentRows, rows] = await Promise.all([
    db().$queryRaw<{ id: string; key: string; name: string; color: string | null; approvals: number }[]>`
      select id, key, name, color, "flagChangeApprovals" as approvals from "Environment" order by position, key`,
    db().$queryRaw<
      {
        key: string;
        name: string;
        description: string | null;
        category: string;
        createdAt: Date;
        lastEvaluatedAt: Date | null;
        environmentId: string | null;
        enabled: boolean | null;
        rolloutPercent: number | null;
        rules: unknown;
        archived: boolean;
      }[]
    >`
      select f.key, f.name, f.description, f.category, f."createdAt", f."archivedAt" is not null as archived,
             (select max(v."lastEvaluatedAt") from "FlagEvaluationSeen" v where v."flagId" = f.id) as "lastEvaluatedAt",
             s."environmentId", s.enabled, s."rolloutPercent", s.rules
      from "FeatureFlag" f
      left join "FlagState" s on s."flagId" = f.id
      order by f.category, f.key`,
  ]);
  const visible = environmentRows.filter((e) => can(actor, "environment.view", e.id));
  const keyOf = new Map(visible.map((e) => [e.id, e.key]));
  const byKey = new Map<string, FlagGridRow>();
  // staleness looks at every environment, seen or not (it names none of them)
  const everywhere = new Map<
    string,
    { createdAt: Date; lastEvaluatedAt: Date | null; states: Map<string, FlagGridCell> }
  >();
  for (const r of rows) {
    let row = byKey.get(r.key);
    if (!row) {
      row = {
        key: r.key,
        name: r.name,
        description: r.description,
        category: r.category,
        cells: {},
        differs: false,
        stale: null,
        archived: r.archived,
      };
      for (const e of visible) row.cells[e.key] = OFF;
      byKey.set(r.key, row);
      everywhere.set(r.key, { createdAt: r.createdAt, lastEvaluatedAt: r.lastEvaluatedAt, states: new Map() });
    }
    if (r.environmentId)
      everywhere.get(r.key)?.states.set(r.environmentId, {
        enabled: r.enabled ?? false,
        rolloutPercent: r.rolloutPercent,
        rules: parseRules(r.rules),
      });
    const environmentKey = r.environmentId ? keyOf.get(r.environmentId) : undefined;
    if (environmentKey)
      row.cells[environmentKey] = {
        enabled: r.enabled ?? false,
        rolloutPercent: r.rolloutPercent,
        rules: parseRules(r.rules),
      };
  }
  const flags = [...byKey.values()];
  const now = new Date();
  const staleDays = env().GREENLIGHT_STALE_FLAG_DAYS;
  for (const row of flags) {
    const cells = Object.values(row.cells);
    row.differs = cells.some((c) => !same(c, cells[0] ?? OFF));
    const facts = everywhere.get(row.key);
    // an archived flag is already on its way out: "stale" says nothing more
    if (facts && !row.archived)
      row.stale = staleReason(
        { ...facts, states: environmentRows.map((e) => facts.states.get(e.id) ?? null) },
        now,
        staleDays,
      );
  }
  return {
    environments: visible.map((e) => ({
      key: e.key,
      name: e.name,
      color: e.color,
      canToggle: can(actor, "flag.toggle", e.id),
      approvals: e.approvals,
      canOverride: e.approvals > 0 && can(actor, "environment.manage", e.id),
    })),
    flags,
  };
}

const gridRead = defineOperation({
  name: "flag.grid",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readGrid(actor),
});

export function flagGrid(actor: Actor): Promise<FlagGrid> {
  return gridRead(actor, {});
}
