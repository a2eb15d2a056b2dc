import "server-only";
import { z } from "zod";
import {
  MAX_RULES,
  parseRuleLines,
  parseRules,
  ruleLines,
  ruleProblem,
  RULE_OPERATORS,
  type TargetingRule,
} from "@/lib/domain/flag-evaluation";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Sql, Tx } from "../context";
import type { OperationEnvironment } from "../operation";
import { audit, type AuditActor } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";

// A flag's state in one environment, and the one function that writes it. Every write path —
// a direct change, an approved change request, a scheduled change, a break-glass override —
// ends in writeFlagState, which locks the row, checks the state it was made against when there
// is one, writes, and records before and after (with where the change came from).

export interface FlagStateValue {
  enabled: boolean;
  /** null: everyone gets it when enabled */
  rolloutPercent: number | null;
  rules: TargetingRule[];
}

/** A flag with no state in an environment is off there. */
export const OFF_STATE: FlagStateValue = Object.freeze({ enabled: false, rolloutPercent: null, rules: [] });

/** The state as stored (a row's columns, or a base snapshot), with its rules checked. */
export function stateOf(value: unknown): FlagStateValue {
  if (!value || typeof value !== "object") return OFF_STATE;
  const v = value as { enabled?: unknown; rolloutPercent?: unknown; rules?: unknown };
  return {
    enabled: v.enabled === true,
    rolloutPercent: typeof v.rolloutPercent === "number" ? v.rolloutPercent : null,
    rules: parseRules(v.rules),
  };
}

export function sameState(a: FlagStateValue, b: FlagStateValue): boolean {
  return (
    a.enabled === b.enabled &&
    a.rolloutPercent === b.rolloutPercent &&
    JSON.stringify(a.rules.map((r) => [r.attribute, r.operator, r.values])) ===
      JSON.stringify(b.rules.map((r) => [r.attribute, r.operator, r.values]))
  );
}

/** As people write it, for the trail and for messages: rules one a line, as in the form. */
export function readableState(state: FlagStateValue) {
  return { enabled: state.enabled, rolloutPercent: state.rolloutPercent, rules: ruleLines(state.rules) };
}

/** One sentence: "on for 25% + 1 rule", "off". */
export function describeState(state: FlagStateValue): string {
  if (!state.enabled) return "off";
  const share = state.rolloutPercent !== null && state.rolloutPercent < 100 ? ` for ${state.rolloutPercent}%` : "";
  const n = state.rules.length;
  const rules = n ? ` + ${n} rule${n === 1 ? "" : "s"} (${ruleLines(state.rules).split("\n").join("; ")})` : "";
  return `on${share}${rules}`;
}

export function toJson(state: FlagStateValue): Prisma.InputJsonValue {
  return { enabled: state.enabled, rolloutPercent: state.rolloutPercent, rules: state.rules } as never;
}

// ─── input ───────────────────────────────────────────────────────────────────────────────────

export const flagKeyInput = z.string().trim().min(1).max(100);

/** Targeting rules: as a form sends them (one a line, lib/domain/flag-evaluation.ts) or as JSON. */
export const rulesInput = z
  .union([
    z.string().max(20_000, "Use at most 20,000 characters"),
    z
      .array(
        z.object({
          attribute: z.string().max(100),
          operator: z.enum(RULE_OPERATORS),
          values: z.array(z.string().max(1_000)).max(1_000),
        }),
      )
      .max(MAX_RULES, `At most ${MAX_RULES} rules`),
  ])
  .transform((value, ctx): TargetingRule[] => {
    const parsed: { rules: TargetingRule[]; errors: string[] } =
      typeof value === "string"
        ? parseRuleLines(value)
        : {
            rules: value,
            errors: value.flatMap((r, i) => {
              const problem = ruleProblem(r);
              return problem ? [`Rule ${i + 1}: ${problem}`] : [];
            }),
          };
    for (const message of parsed.errors) ctx.addIssue({ code: "custom", message });
    return parsed.rules;
  });

export const rolloutPercentInput = z
  .number("Enter a share between 0 and 100")
  .int("Enter a whole number")
  .min(0, "Enter a share between 0 and 100")
  .max(100, "Enter a share between 0 and 100")
  .nullable();

export const reasonInput = z.string().trim().max(2_000, "Use at most 2,000 characters");

// ─── reads and the write ─────────────────────────────────────────────────────────────────────

export interface FlagRef {
  id: string;
  key: string;
}

/** The flag by key, refusing one that is archived (409): it is no longer served or changed. */
export async function liveFlag(tx: Tx, key: string): Promise<FlagRef> {
  const flag = await tx.featureFlag.findUnique({ where: { key }, select: { id: true, key: true, archivedAt: true } });
  if (!flag) throw new NotFoundError(`Flag "${key}"`);
  if (flag.archivedAt)
    throw new ConflictError(`Flag "${flag.key}" is archived: it is no longer served and cannot be changed`);
  return { id: flag.id, key: flag.key };
}

/** The state now, with the row locked until the transaction ends (a concurrent write waits). */
export async function lockedState(tx: Tx, flagId: string, environmentId: string): Promise<FlagStateValue> {
  const [row] = await tx.$queryRaw<{ enabled: boolean; rolloutPercent: number | null; rules: unknown }[]>`
    select enabled, "rolloutPercent", rules from "FlagState"
    where "flagId" = ${flagId}::uuid and "environmentId" = ${environmentId}::uuid
    for update`;
  return row ? stateOf(row) : OFF_STATE;
}

/** The flag changed after a change was made against `base`: it cannot apply as intended. */
export class StaleFlagChange extends ConflictError {
  constructor(
    readonly flagKey: string,
    readonly environmentName: string,
    readonly base: FlagStateValue,
    readonly current: FlagStateValue,
    readonly proposed: FlagStateValue,
  ) {
    super(
      `${flagKey} changed in ${environmentName} since this change was made: it was ${describeState(base)} and is now ` +
        `${describeState(current)}; the change would make it ${describeState(proposed)}. Make the change again ` +
        "against the state it has now.",
    );
  }
}

export interface FlagWrite {
  flag: FlagRef;
  environment: { id: string; name: string };
  proposed: FlagStateValue;
  /** the state the change was made against: it applies only if the flag still has it */
  base?: FlagStateValue;
  /** where the change came from, for the trail */
  via?: { changeRequest?: string; scheduledChange?: string; override?: string };
}

/**
 * Writes the state and its audit event (before, after, and where it came from). With a base,
 * throws StaleFlagChange (409) when the flag no longer has it; the caller decides what that
 * marks (a request stale, a scheduled change failed) in a transaction of its own.
 */
export async function writeFlagState(
  tx: Tx,
  actor: AuditActor,
  write: FlagWrite,
): Promise<{ before: FlagStateValue; after: FlagStateValue }> {
  const { flag, environment, proposed } = write;
  const before = await lockedState(tx, flag.id, environment.id);
  if (write.base && !sameState(before, write.base))
    throw new StaleFlagChange(flag.key, environment.name, write.base, before, proposed);
  const data = {
    enabled: proposed.enabled,
    rolloutPercent: proposed.rolloutPercent,
    rules: proposed.rules as unknown as Prisma.InputJsonValue,
    updatedById: actor && "kind" in actor && actor.kind === "user" ? actor.id : null,
  };
  await tx.flagState.upsert({
    where: { flagId_environmentId: { flagId: flag.id, environmentId: environment.id } },
    create: { flagId: flag.id, environmentId: environment.id, ...data },
    update: data,
    select: { id: true },
  });
  await audit(tx, actor, {
    action: "flag.state.update",
    entityType: "FeatureFlag",
    entityId: flag.key,
    environmentId: environment.id,
    before: readableState(before),
    after: { ...readableState(proposed), ...(write.via ?? {}) },
  });
  return { before, after: proposed };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The environment a change request or a scheduled change acts in, for its authorization. A
 * malformed or unknown id is a 404, like an unknown one (never a 500 from a bad uuid cast).
 */
export async function environmentOfFlagChange(
  sql: Sql,
  table: "FlagChangeRequest" | "ScheduledFlagChange",
  id: string,
  what: string,
): Promise<OperationEnvironment> {
  if (!UUID.test(id)) throw new NotFoundError(what);
  const [environment] = await sql.$queryRaw<OperationEnvironment[]>`
    select e.id, e.name,
      json_build_object('required', e."requireSecondFactor", 'maxAgeMinutes', e."secondFactorMaxAgeMinutes") as "secondFactor"
    from ${Prisma.raw(`"${table}"`)} c join "Environment" e on e.id = c."environmentId" where c.id = ${id}::uuid`;
  if (!environment) throw new NotFoundError(what);
  return environment;
}
