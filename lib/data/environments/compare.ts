import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { DEPLOY_PROVIDER_KINDS } from "@/lib/domain/deploy-providers";
import { QUEUE_POLICIES } from "@/lib/domain/deploy-queue";
import {
  compareChecklistItems,
  compareSettings,
  freezeWindowText,
  relationOf,
  relationSentence,
  type ChecklistItemDifference,
  type ComparedSettings,
  type SettingDifference,
  type VersionRelation,
} from "@/lib/domain/environment-drift";
import { ruleLines } from "@/lib/domain/flag-evaluation";
import { parseHealthChecks } from "@/lib/domain/health-checks";
import { targetSummary } from "@/lib/domain/deploy-target-form";
import { PROVIDERS } from "@/lib/deploy/registry";
import { db } from "../../db";
import { fromSql } from "../enums";
import { NotFoundError } from "../errors";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { environmentSelect, toEnvironmentSummary, type EnvironmentSummary } from "../pipeline";
import { describeState, stateOf, type FlagStateValue } from "../flags/state";

// Environment drift: two environments side by side ("works in staging, fails in production").
// Per application what runs in each (the latest succeeded deployment, as the board decides it)
// and how many releases apart they are; every flag whose state differs; and their gates,
// rollout, health checks, checklist templates and deploy targets. Four statements whatever the
// history: the stages with their settings, what runs with the release distances, the flags,
// and the checklists, freeze windows and targets of both. An environment the caller may not
// view is unknown (404), like one that does not exist.

export const compareInput = z
  .object({
    a: environmentKey.describe("The first environment's key (e.g. staging)"),
    b: environmentKey.describe("The environment to compare it with (e.g. production)"),
  })
  .refine((v) => v.a !== v.b, { path: ["b"], message: "Choose two different environments" });

export type CompareInput = z.input<typeof compareInput>;

export type WhatRuns =
  | { state: "running"; releaseId: string; version: string; since: Date }
  | { state: "none" }
  /** the last deploy was interrupted: what runs is unknown (before: what ran until then) */
  | { state: "unknown"; interrupted: string; before: string | null };

export interface ApplicationDrift {
  application: { key: string; name: string };
  a: WhatRuns;
  b: WhatRuns;
  relation: VersionRelation;
  /** releases of the application from b's to a's: > 0 when a runs the newer one; null when not comparable */
  aheadBy: number | null;
  summary: string;
  differs: boolean;
}

export interface FlagSide {
  enabled: boolean;
  /** null: everyone gets it when enabled */
  rolloutPercent: number | null;
  /** the targeting rules one a line, as the flag form writes them */
  rules: string;
  /** "on for 25% + 1 rule (country in FR)", "off" */
  text: string;
}

export interface FlagDrift {
  key: string;
  name: string;
  category: string;
  a: FlagSide;
  b: FlagSide;
  /** what differs: the switch, the share, the rules */
  changed: ("enabled" | "rolloutPercent" | "rules")[];
  differs: boolean;
}

export interface DeployTargetSide {
  provider: string;
  providerLabel: string;
  summary: string[];
  timeoutSeconds: number;
}

export interface DeployTargetDrift {
  application: { key: string; name: string };
  a: DeployTargetSide | null;
  b: DeployTargetSide | null;
  /** a target on one side only, another provider, or another timeout (settings such as hosts differ by nature) */
  differs: boolean;
}

export interface DriftSection<R> {
  /** no row differs */
  identical: boolean;
  /** rows that differ */
  count: number;
  rows: R[];
}

export interface EnvironmentDrift {
  asOf: Date;
  a: EnvironmentSummary;
  b: EnvironmentSummary;
  /** every section is identical */
  identical: boolean;
  applications: DriftSection<ApplicationDrift>;
  flags: DriftSection<FlagDrift>;
  settings: DriftSection<SettingDifference>;
  checklist: DriftSection<ChecklistItemDifference>;
  deployTargets: DriftSection<DeployTargetDrift>;
  /** the stages the caller may view, in pipeline order: what the page offers to compare */
  environments: EnvironmentSummary[];
}

function section<R extends { differs: boolean }>(rows: R[]): DriftSection<R> {
  const count = rows.filter((r) => r.differs).length;
  return { identical: count === 0, count, rows };
}

// ─── the stages ────────────────────────────────────────────────────────────────────────────────

type Stage = EnvironmentSummary & { queuePolicy: ComparedSettings["deployQueuePolicy"]; healthChecks: unknown };

async function readStages(actor: Actor): Promise<Stage[]> {
  const rows = await db().environment.findMany({
    select: { ...environmentSelect, deployQueuePolicy: true, healthChecks: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
  });
  return rows
    .filter((row) => can(actor, "environment.view", row.id))
    .map((row) => ({
      ...toEnvironmentSummary(row),
      queuePolicy: fromSql(QUEUE_POLICIES, row.deployQueuePolicy.toLowerCase(), "deploy queue policy"),
      healthChecks: row.healthChecks,
    }));
}

// ─── what runs, and how far apart ──────────────────────────────────────────────────────────────

interface RunRow {
  key: string;
  name: string;
  aReleaseId: string | null;
  aVersion: string | null;
  aSince: Date | null;
  aCut: string | null;
  bReleaseId: string | null;
  bVersion: string | null;
  bSince: Date | null;
  bCut: string | null;
  aheadBy: number | null;
}

/**
 * Per application, in one statement: the latest succeeded deployment in each environment (and
 * an interrupted one after it, which makes what runs unknown), the same LATERAL walks of the
 * (applicationId, environmentId, status, finishedAt) index as the board; and, where both run a
 * release, how many releases of the application lie between them: the releases (by creation,
 * then id, as the pipeline orders them) up to a's minus those up to b's, counted over the
 * (applicationId, createdAt) index between the two.
 */
async function readRuns(aId: string, bId: string): Promise<RunRow[]> {
  return db().$queryRaw<RunRow[]>`
    with sides(side, env) as (values ('a', ${aId}::uuid), ('b', ${bId}::uuid)),
    runs as (
      select a.id as "applicationId", s.side, lr.id as "releaseId", lr.version, lr."createdAt", live."finishedAt",
        cr.version as "cutVersion"
      from "Application" a
      cross join sides s
      left join lateral (
        select d."releaseId", d."finishedAt" from "Deployment" d
        where d."applicationId" = a.id and d."environmentId" = s.env and d.status = 'succeeded' and d."finishedAt" is not null
        order by d."finishedAt" desc limit 1
      ) live on true
      left join "Release" lr on lr.id = live."releaseId"
      left join lateral (
        select d."releaseId" from "Deployment" d
        where d."applicationId" = a.id and d."environmentId" = s.env and d.status = 'failed' and d."finishedAt" is not null
          and d."interruptedAt" is not null and (live."finishedAt" is null or d."interruptedAt" > live."finishedAt")
        order by d."finishedAt" desc limit 1
      ) cut on true
      left join "Release" cr on cr.id = cut."releaseId"
    )
    select a.key, a.name,
      ra."releaseId" as "aReleaseId", ra.version as "aVersion", ra."finishedAt" as "aSince", ra."cutVersion" as "aCut",
      rb."releaseId" as "bReleaseId", rb.version as "bVersion", rb."finishedAt" as "bSince", rb."cutVersion" as "bCut",
      case when ra."releaseId" is not null and rb."releaseId" is not null then (
        select (count(*) filter (where (x."createdAt", x.id) <= (ra."createdAt", ra."releaseId"))
              - count(*) filter (where (x."createdAt", x.id) <= (rb."createdAt", rb."releaseId")))::int
        from "Release" x
        where x."applicationId" = a.id
          and x."createdAt" >= least(ra."createdAt", rb."createdAt")
          and x."createdAt" <= greatest(ra."createdAt", rb."createdAt")
      ) end as "aheadBy"
    from "Application" a
    join runs ra on ra."applicationId" = a.id and ra.side = 'a'
    join runs rb on rb."applicationId" = a.id and rb.side = 'b'
    order by a.name, a.key`;
}

function whatRuns(releaseId: string | null, version: string | null, since: Date | null, cut: string | null): WhatRuns {
  if (cut !== null) return { state: "unknown", interrupted: cut, before: version };
  if (releaseId && version !== null && since) return { state: "running", releaseId, version, since };
  return { state: "none" };
}

function applicationDrift(row: RunRow, a: EnvironmentSummary, b: EnvironmentSummary): ApplicationDrift {
  const ra = whatRuns(row.aReleaseId, row.aVersion, row.aSince, row.aCut);
  const rb = whatRuns(row.bReleaseId, row.bVersion, row.bSince, row.bCut);
  const comparable = ra.state === "running" && rb.state === "running";
  const aheadBy = comparable ? (ra.releaseId === rb.releaseId ? 0 : (row.aheadBy ?? 0)) : null;
  const relation = relationOf(ra.state, rb.state, aheadBy);
  return {
    application: { key: row.key, name: row.name },
    a: ra,
    b: rb,
    relation,
    aheadBy,
    summary: relationSentence(relation, aheadBy, { name: a.name, runs: ra.state }, { name: b.name, runs: rb.state }),
    differs: relation !== "same" && relation !== "neither",
  };
}

// ─── flags ─────────────────────────────────────────────────────────────────────────────────────

interface FlagRow {
  key: string;
  name: string;
  category: string;
  aEnabled: boolean | null;
  aPercent: number | null;
  aRules: unknown;
  bEnabled: boolean | null;
  bPercent: number | null;
  bRules: unknown;
}

async function readFlagStates(aId: string, bId: string): Promise<FlagRow[]> {
  // a flag without a state row in an environment is off there; archived flags are not served
  return db().$queryRaw<FlagRow[]>`
    select f.key, f.name, f.category,
      sa.enabled as "aEnabled", sa."rolloutPercent" as "aPercent", sa.rules as "aRules",
      sb.enabled as "bEnabled", sb."rolloutPercent" as "bPercent", sb.rules as "bRules"
    from "FeatureFlag" f
    left join "FlagState" sa on sa."flagId" = f.id and sa."environmentId" = ${aId}::uuid
    left join "FlagState" sb on sb."flagId" = f.id and sb."environmentId" = ${bId}::uuid
    where f."archivedAt" is null
    order by f.category, f.key`;
}

/** 100 % and "everyone" serve the same: compared as one. */
const share = (s: FlagStateValue) => (s.rolloutPercent === 100 ? null : s.rolloutPercent);
const rulesKey = (s: FlagStateValue) => JSON.stringify(s.rules.map((r) => [r.attribute, r.operator, r.values]));

function flagSide(s: FlagStateValue): FlagSide {
  return { enabled: s.enabled, rolloutPercent: s.rolloutPercent, rules: ruleLines(s.rules), text: describeState(s) };
}

function flagDrift(row: FlagRow): FlagDrift {
  const sa = stateOf({ enabled: row.aEnabled, rolloutPercent: row.aPercent, rules: row.aRules });
  const sb = stateOf({ enabled: row.bEnabled, rolloutPercent: row.bPercent, rules: row.bRules });
  const changed: FlagDrift["changed"] = [];
  if (sa.enabled !== sb.enabled) changed.push("enabled");
  if (share(sa) !== share(sb)) changed.push("rolloutPercent");
  if (rulesKey(sa) !== rulesKey(sb)) changed.push("rules");
  return {
    key: row.key,
    name: row.name,
    category: row.category,
    a: flagSide(sa),
    b: flagSide(sb),
    changed,
    differs: changed.length > 0,
  };
}

// ─── checklists, freeze windows, deploy targets ────────────────────────────────────────────────

interface ExtrasRow {
  id: string;
  checklist: {
    name: string;
    timing: "before_entry" | "before_exit";
    items: {
      section: string | null;
      label: string;
      hint: string | null;
      required: boolean;
      phase: "before" | "during" | "after";
    }[];
  } | null;
  freezeWindows: {
    kind: "one_off" | "weekly";
    reason: string;
    timeZone: string;
    startsAt: string | null;
    endsAt: string | null;
    weekday: number | null;
    startMinute: number | null;
    durationMinutes: number | null;
  }[];
  targets: { key: string; name: string; provider: string; config: unknown; timeoutSeconds: number }[];
}

/** Both environments' checklist template with its items, freeze windows and deploy targets: one statement. */
async function readExtras(aId: string, bId: string): Promise<Map<string, ExtrasRow>> {
  const rows = await db().$queryRaw<ExtrasRow[]>`
    select e.id,
      (select json_build_object('name', t.name, 'timing', t.timing::text, 'items', coalesce((
          select json_agg(json_build_object('section', i.section, 'label', i.label, 'hint', i.hint, 'required', i.required,
                                            'phase', i.phase::text)
                          order by i.position, i.id)
          from "ChecklistTemplateItem" i where i."templateId" = t.id), '[]'::json))
       from "ChecklistTemplate" t where t."environmentId" = e.id) as checklist,
      coalesce((
        select json_agg(json_build_object('kind', w.kind::text, 'reason', w.reason, 'timeZone', w."timeZone",
                 'startsAt', w."startsAt", 'endsAt', w."endsAt", 'weekday', w.weekday,
                 'startMinute', w."startMinute", 'durationMinutes', w."durationMinutes") order by w.id)
        from "FreezeWindow" w where w."environmentId" = e.id), '[]'::json) as "freezeWindows",
      coalesce((
        select json_agg(json_build_object('key', a.key, 'name', a.name, 'provider', t.provider::text,
                 'config', t.config, 'timeoutSeconds', t."timeoutSeconds") order by a.name, a.key)
        from "DeployTarget" t join "Application" a on a.id = t."applicationId"
        where t."environmentId" = e.id), '[]'::json) as targets
    from "Environment" e
    where e.id in (${aId}::uuid, ${bId}::uuid)`;
  return new Map(rows.map((row) => [row.id, row]));
}

/** json_build_object writes a timestamp without its zone; the database keeps UTC. */
const utc = (text: string | null) =>
  text === null ? null : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);

function settingsOf(stage: Stage, extras: ExtrasRow | undefined, asOf: Date): ComparedSettings {
  const checklist = extras?.checklist ?? null;
  const windows = (extras?.freezeWindows ?? [])
    .map((w) => ({ ...w, startsAt: utc(w.startsAt), endsAt: utc(w.endsAt) }))
    // weekly windows always apply; one-off windows until they end, as on the environment page
    .filter((w) => w.kind === "weekly" || w.endsAt === null || w.endsAt > asOf);
  return {
    protected: stage.protected,
    requiredApprovals: stage.requiredApprovals,
    preventSelfApproval: stage.preventSelfApproval,
    soakMinutes: stage.soakMinutes,
    autoPromote: stage.autoPromote,
    flagChangeApprovals: stage.flagChangeApprovals,
    requireSecondFactor: stage.secondFactor.required,
    secondFactorMaxAgeMinutes: stage.secondFactor.maxAgeMinutes,
    rolloutStrategy: stage.rolloutStrategy,
    rolloutSteps: stage.rolloutSteps,
    deployQueuePolicy: stage.queuePolicy,
    healthChecks: parseHealthChecks(stage.healthChecks),
    healthCheckPath: stage.healthCheck.path,
    healthCheckIntervalSeconds: stage.healthCheck.intervalSeconds,
    healthCheckFailureThreshold: stage.healthCheck.failureThreshold,
    errorRateThresholdPercent: stage.healthCheck.errorRateThresholdPercent,
    checklist: checklist
      ? {
          name: checklist.name,
          timing: checklist.timing,
          required: checklist.items.filter((i) => i.phase === "before" && i.required).length,
          items: checklist.items.filter((i) => i.phase === "before").length,
          later: checklist.items.filter((i) => i.phase !== "before").length,
        }
      : null,
    freezeWindows: windows.map(freezeWindowText),
  };
}

function targetSide(t: ExtrasRow["targets"][number]): DeployTargetSide {
  const provider = fromSql(DEPLOY_PROVIDER_KINDS, t.provider, "deploy provider kind");
  return {
    provider,
    providerLabel: PROVIDERS[provider].label,
    summary: targetSummary(provider, t.config),
    timeoutSeconds: t.timeoutSeconds,
  };
}

function deployTargets(
  applications: { key: string; name: string }[],
  a: ExtrasRow | undefined,
  b: ExtrasRow | undefined,
): DeployTargetDrift[] {
  const byKey = (row: ExtrasRow | undefined) => new Map((row?.targets ?? []).map((t) => [t.key, t]));
  const ta = byKey(a);
  const tb = byKey(b);
  return applications.map((application) => {
    const x = ta.get(application.key);
    const y = tb.get(application.key);
    const sa = x ? targetSide(x) : null;
    const sb = y ? targetSide(y) : null;
    return {
      application,
      a: sa,
      b: sb,
      differs:
        (sa === null) !== (sb === null) || sa?.provider !== sb?.provider || sa?.timeoutSeconds !== sb?.timeoutSeconds,
    };
  });
}

// ─── the operation ─────────────────────────────────────────────────────────────────────────────

async function compare(actor: Actor, input: z.output<typeof compareInput>): Promise<EnvironmentDrift> {
  const asOf = new Date();
  const stages = await readStages(actor);
  // unknown and hidden answer alike: the caller learns nothing of environments they may not view
  const a = stages.find((s) => s.key === input.a);
  if (!a) throw new NotFoundError(`Environment "${input.a}"`);
  const b = stages.find((s) => s.key === input.b);
  if (!b) throw new NotFoundError(`Environment "${input.b}"`);

  const [runs, flags, extras] = await Promise.all([
    readRuns(a.id, b.id),
    readFlagStates(a.id, b.id),
    readExtras(a.id, b.id),
  ]);
  const ea = extras.get(a.id);
  const eb = extras.get(b.id);
  const applications = section(runs.map((row) => applicationDrift(row, a, b)));
  const flagSection = section(flags.map(flagDrift));
  const settings = section(compareSettings(settingsOf(a, ea, asOf), settingsOf(b, eb, asOf)));
  const checklist = section(compareChecklistItems(ea?.checklist?.items ?? [], eb?.checklist?.items ?? []));
  const targets = section(
    deployTargets(
      runs.map((r) => ({ key: r.key, name: r.name })),
      ea,
      eb,
    ),
  );
  const strip = ({ queuePolicy: _q, healthChecks: _h, ...summary }: Stage): EnvironmentSummary => summary;
  return {
    asOf,
    a: strip(a),
    b: strip(b),
    identical: [applications, flagSection, settings, checklist, targets].every((s) => s.identical),
    applications,
    flags: flagSection,
    settings,
    checklist,
    deployTargets: targets,
    environments: stages.map(strip),
  };
}

const compareRead = defineOperation({
  name: "environment.compare",
  scope: "visible",
  effect: "read",
  input: compareInput,
  run: ({ actor, input }) => compare(actor, input),
});

/** Two environments side by side (see compare). 404 for an unknown or hidden one, 422 for the same one twice. */
export function compareEnvironments(actor: Actor, input: CompareInput): Promise<EnvironmentDrift> {
  return compareRead(actor, input);
}

// ─── as JSON, for CI ───────────────────────────────────────────────────────────────────────────

function jsonSection<R extends { differs: boolean }>(s: DriftSection<R>) {
  const strip = ({ differs: _d, ...rest }: R) => rest;
  return {
    identical: s.identical,
    count: s.count,
    differences: s.rows.filter((r) => r.differs).map(strip),
    equal: s.rows.filter((r) => !r.differs).map(strip),
  };
}

const environmentJson = (e: EnvironmentSummary) => ({ key: e.key, name: e.name, position: e.position });

/** The API's answer: per section whether it is identical, how many rows differ, which, and the rest. */
export function driftJson(drift: EnvironmentDrift) {
  return {
    a: environmentJson(drift.a),
    b: environmentJson(drift.b),
    asOf: drift.asOf,
    identical: drift.identical,
    applications: jsonSection(drift.applications),
    flags: jsonSection(drift.flags),
    settings: jsonSection(drift.settings),
    checklist: jsonSection(drift.checklist),
    deployTargets: jsonSection(drift.deployTargets),
  };
}
