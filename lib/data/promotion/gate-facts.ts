import "server-only";
import type { FreezeWindowInput } from "@/lib/domain/freeze";
import type { CheckFact, CheckStatus, GateDecision, GateInput } from "@/lib/domain/gates";
import { ACTIVE_STATUSES, DEPLOYMENT_STATUSES, type DeploymentStatus } from "@/lib/domain/deployment-state";
import { ROLLOUT_STRATEGIES, type RolloutStrategy } from "@/lib/domain/rollout";
import type { Sql } from "../context";
import { fromSql } from "../enums";
import { httpUrl } from "../pipeline/summaries";

const QUEUE_POLICIES = ["queue", "replace", "refuse"] as const;

// The facts a release's gates are decided on, for one target environment, read in ONE
// statement so that the promote transaction (which holds locks while it reads) stays short and
// the release page costs one round trip. lib/domain/gates.ts decides; this only reads.

export type { Sql } from "../context";

export interface ChecklistFact {
  /** the release's item id, or (before the release's copy exists) its template item's id */
  id: string;
  templateItemId: string | null;
  /** the environment whose checklist this item belongs to (ticks need checklist.tick there) */
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  /** before_entry: done before the release deploys there; before_exit: done while it runs there */
  timing: "before_entry" | "before_exit";
  section: string | null;
  label: string;
  hint: string | null;
  required: boolean;
  checked: boolean;
  checkedBy: string | null;
  checkedAt: Date | null;
  note: string | null;
  /** false while the release has no copy of that checklist yet (the template's item is shown) */
  copied: boolean;
  /** the CI check whose success ticks this item (and whose failure unticks it) */
  checkName: string | null;
  /** only that check may tick it: people cannot */
  ciOnly: boolean;
  /** that check as last reported for this environment (or for all); null: not reported */
  check: { status: CheckStatus; url: string | null; summary: string | null } | null;
}

export interface DecisionFact extends GateDecision {
  comment: string | null;
  roleKey: string;
  roleName: string | null;
}

export interface GateFacts {
  release: {
    id: string;
    version: string;
    commitSha: string;
    authorId: string | null;
    applicationId: string;
    applicationKey: string;
    /** the branch it was built from, if CI said */
    branch: string | null;
  };
  environment: {
    id: string;
    key: string;
    name: string;
    position: number;
    protected: boolean;
    requiredApprovals: number;
    preventSelfApproval: boolean;
    soakMinutes: number;
    /** the stage promotes its candidate by itself once every gate passes */
    autoPromote: boolean;
    /** where not empty, only releases from these branches are promoted automatically */
    autoPromoteBranches: string[];
    rolloutStrategy: RolloutStrategy;
    /** what a promotion does while another deployment holds the application here */
    deployQueuePolicy: "queue" | "replace" | "refuse";
    /** branch patterns a release must come from to enter (empty: any) */
    allowedBranches: string[];
    /** CI checks that must have succeeded (empty: none) */
    requiredChecks: string[];
  };
  previous: { id: string; key: string; name: string; succeededAt: Date | null } | null;
  decisions: DecisionFact[];
  /**
   * The checklists that gate this promotion: the environment's own pre-deployment checklist
   * (before_entry) and the previous environment's "while it runs there" checklist (before_exit),
   * each the release's own copy when it exists, otherwise the template's items, none ticked
   * (but an item whose CI check already succeeded, as its copy will start).
   */
  checklist: ChecklistFact[];
  checklistCopied: boolean;
  freezeWindows: (FreezeWindowInput & { id: string })[];
  /** this release's latest deployment into the environment, if any */
  latest: { id: string; status: DeploymentStatus; queuedAt: Date } | null;
  /** a deployment of the same application into the environment that still holds it (queued, running …) */
  busy: { id: string; status: DeploymentStatus; version: string } | null;
  /** the release's CI checks that speak for this environment (reported for it, or for every one) */
  checks: CheckFact[];
}

export interface GatePair {
  releaseId: string;
  environmentId: string;
}

type Iso = string;

interface Row {
  ord: bigint | number;
  release: GateFacts["release"];
  environment: Omit<GateFacts["environment"], "rolloutStrategy" | "deployQueuePolicy"> & {
    rolloutStrategy: string;
    deployQueuePolicy: string;
  };
  previous: { id: string; key: string; name: string; succeededAt: Iso | null } | null;
  decisions:
    | {
        userId: string;
        userName: string;
        decision: "approved" | "rejected";
        comment: string | null;
        roleKey: string;
        roleName: string | null;
        mayApprove: boolean;
        decidedAt: Iso;
      }[]
    | null;
  checklist:
    | (Omit<ChecklistFact, "checkedAt" | "check"> & {
        checkedAt: Iso | null;
        check: { status: string; url: string | null; summary: string | null } | null;
      })[]
    | null;
  freezes: {
    id: string;
    kind: "one_off" | "weekly";
    reason: string;
    timeZone: string;
    startsAt: Iso | null;
    endsAt: Iso | null;
    weekday: number | null;
    startMinute: number | null;
    durationMinutes: number | null;
  }[];
  latest: { id: string; status: string; queuedAt: Iso } | null;
  busy: { id: string; status: string; version: string } | null;
  checks: { name: string; status: string; url: string | null }[];
}

const date = (value: Iso | null) => (value === null ? null : new Date(value));

/** null when the release or the environment does not exist. */
export async function readGateFacts(sql: Sql, releaseId: string, environmentId: string): Promise<GateFacts | null> {
  const [facts] = await readGateFactsMany(sql, [{ releaseId, environmentId }]);
  return facts ?? null;
}

/**
 * GateFacts for each (release, environment) pair, in the order given; null where the release or
 * the environment does not exist. ONE statement whatever the number of pairs (none for none).
 */
export async function readGateFactsMany(sql: Sql, pairs: readonly GatePair[]): Promise<(GateFacts | null)[]> {
  if (pairs.length === 0) return [];
  const rows = await sql.$queryRaw<Row[]>`
    select
      q.ord,
      json_build_object('id', r.id, 'version', r.version, 'commitSha', r."commitSha", 'authorId', r."createdById",
        'applicationId', r."applicationId", 'applicationKey', a.key, 'branch', r.branch) as release,
      json_build_object('id', e.id, 'key', e.key, 'name', e.name, 'position', e.position, 'protected', e.protected,
        'requiredApprovals', e."requiredApprovals", 'preventSelfApproval', e."preventSelfApproval",
        'soakMinutes', e."soakMinutes", 'autoPromote', e."autoPromote", 'autoPromoteBranches', coalesce(e."autoPromoteBranches", '{}'), 'rolloutStrategy', e."rolloutStrategy",
        'deployQueuePolicy', e."deployQueuePolicy", 'allowedBranches', coalesce(e."allowedBranches", '{}'),
        'requiredChecks', coalesce(e."requiredChecks", '{}')) as environment,
      case when p.id is null then null else json_build_object('id', p.id, 'key', p.key, 'name', p.name, 'succeededAt',
          (select max(d."finishedAt") from "Deployment" d
            where d."releaseId" = r.id and d."environmentId" = p.id and d.status = 'succeeded')) end as previous,
      (select json_agg(json_build_object('userId', ap."userId", 'userName', coalesce(u.name, u.email),
          'decision', ap.decision, 'comment', ap.comment, 'roleKey', ap."roleKey", 'roleName', ro.name,
          'decidedAt', ap."updatedAt",
          'mayApprove', u.active and exists (
            select 1 from "UserRole" ur
            join "EnvironmentPermission" ep on ep."roleId" = ur."roleId" and ep."environmentId" = e.id
            where ur."userId" = ap."userId" and 'release.approve'::"Permission" = any(ep.permissions)))
          order by ap."updatedAt")
        from "Approval" ap join "User" u on u.id = ap."userId" left join "Role" ro on ro.key = ap."roleKey"
        where ap."releaseId" = r.id and ap."environmentId" = e.id) as decisions,
      (select json_agg(c.item order by c.env_position, c.position, c.id) from (
          -- the release's own copies of the gating checklists
          select ce.position as env_position, ci.position, ci.id, json_build_object('id', ci.id,
              'templateItemId', ci."templateItemId", 'environmentId', ce.id, 'environmentKey', ce.key, 'environmentName', ce.name,
              'timing', coalesce(ct.timing, 'before_entry'), 'section', ci.section, 'label', ci.label, 'hint', ci.hint,
              'required', ci.required, 'checked', ci."checkedAt" is not null,
              'checkedBy', coalesce(cu.name, cu.email, 'token ' || ck.name),
              'checkedAt', ci."checkedAt", 'note', ci.note, 'copied', true, 'checkName', ci."checkName",
              'ciOnly', ci."ciOnly", 'check', case when rc.id is null then null
                else json_build_object('status', rc.status, 'url', rc.url, 'summary', rc.summary) end) as item
            from "ChecklistItem" ci
            join "Environment" ce on ce.id = ci."environmentId"
            left join "ChecklistTemplate" ct on ct."environmentId" = ce.id
            left join "User" cu on cu.id = ci."checkedById"
            left join "ApiToken" ck on ck.id = ci."checkedByTokenId"
            left join "ReleaseCheck" rc on rc."releaseId" = r.id and rc.name = ci."checkName"
              and (rc."environmentId" is null or rc."environmentId" = ce.id)
            where ci."releaseId" = r.id
              and ((ce.id = e.id and coalesce(ct.timing, 'before_entry') = 'before_entry')
                or (ce.id = p.id and ct.timing = 'before_exit'))
          union all
          -- where no copy exists yet, the template's items, none ticked by people (yet)
          select ce.position, ti.position, ti.id, json_build_object('id', ti.id, 'templateItemId', ti.id,
              'environmentId', ce.id, 'environmentKey', ce.key, 'environmentName', ce.name, 'timing', ct.timing, 'section', ti.section,
              'label', ti.label, 'hint', ti.hint, 'required', ti.required,
              -- an item a check ticks is shown ticked once that check succeeded (the copy starts ticked)
              'checked', coalesce(rc.status = 'success', false), 'checkedBy', null,
              'checkedAt', case when rc.status = 'success' then rc."updatedAt" end,
              'note', case when rc.status = 'success' then rc.url end, 'copied', false,
              'checkName', ti."checkName", 'ciOnly', ti."ciOnly", 'check', case when rc.id is null then null
                else json_build_object('status', rc.status, 'url', rc.url, 'summary', rc.summary) end)
            from "ChecklistTemplate" ct
            join "Environment" ce on ce.id = ct."environmentId"
            join "ChecklistTemplateItem" ti on ti."templateId" = ct.id
            left join "ReleaseCheck" rc on rc."releaseId" = r.id and rc.name = ti."checkName"
              and (rc."environmentId" is null or rc."environmentId" = ce.id)
            where ((ce.id = e.id and ct.timing = 'before_entry') or (ce.id = p.id and ct.timing = 'before_exit'))
              -- "during" and "after" items belong to each deployment, not to the release's gate
              and ti.phase = 'before'
              and not exists (select 1 from "ChecklistItem" c2 where c2."releaseId" = r.id and c2."environmentId" = ce.id)
        ) c) as checklist,
      coalesce((select json_agg(json_build_object('id', f.id, 'kind', f.kind, 'reason', f.reason,
          'timeZone', f."timeZone", 'startsAt', f."startsAt", 'endsAt', f."endsAt", 'weekday', f.weekday,
          'startMinute', f."startMinute", 'durationMinutes', f."durationMinutes"))
        from "FreezeWindow" f where f."environmentId" = e.id), '[]'::json) as freezes,
      (select json_build_object('id', d.id, 'status', d.status, 'queuedAt', d."queuedAt") from "Deployment" d
        where d."releaseId" = r.id and d."environmentId" = e.id order by d."queuedAt" desc, d.id desc limit 1) as latest,
      (select json_build_object('id', d.id, 'status', d.status, 'version', dr.version) from "Deployment" d
        join "Release" dr on dr.id = d."releaseId"
        where d."applicationId" = r."applicationId" and d."environmentId" = e.id
          and d.status::text = any(${[...ACTIVE_STATUSES]}::text[]) order by d."queuedAt" limit 1) as busy,
      coalesce((select json_agg(json_build_object('name', k.name, 'status', k.status, 'url', k.url) order by k.name)
        from "ReleaseCheck" k where k."releaseId" = r.id and (k."environmentId" is null or k."environmentId" = e.id)),
        '[]'::json) as checks
    from unnest(${pairs.map((x) => x.releaseId)}::uuid[], ${pairs.map((x) => x.environmentId)}::uuid[])
      with ordinality as q("releaseId", "environmentId", ord)
    join "Release" r on r.id = q."releaseId"
    join "Application" a on a.id = r."applicationId"
    join "Environment" e on e.id = q."environmentId"
    left join lateral (select pe.id, pe.key, pe.name from "Environment" pe
      where pe.position < e.position order by pe.position desc limit 1) p on true`;

  const facts: (GateFacts | null)[] = pairs.map(() => null);
  for (const row of rows) facts[Number(row.ord) - 1] = toGateFacts(row);
  return facts;
}

const CHECK_STATUSES = ["pending", "success", "failure"] as const;

function toGateFacts(row: Row): GateFacts {
  const checklist = (row.checklist ?? []).map((item) => ({
    ...item,
    checkedAt: date(item.checkedAt),
    check: item.check
      ? {
          ...item.check,
          status: fromSql(CHECK_STATUSES, item.check.status, "check status"),
          url: httpUrl(item.check.url),
        }
      : null,
  }));
  return {
    release: row.release,
    environment: {
      ...row.environment,
      rolloutStrategy: fromSql(ROLLOUT_STRATEGIES, row.environment.rolloutStrategy, "rollout strategy"),
      deployQueuePolicy: fromSql(QUEUE_POLICIES, row.environment.deployQueuePolicy, "deploy queue policy"),
    },
    previous: row.previous ? { ...row.previous, succeededAt: date(row.previous.succeededAt) } : null,
    decisions: (row.decisions ?? []).map((d) => ({ ...d, decidedAt: new Date(d.decidedAt) })),
    checklist,
    checklistCopied: checklist.every((item) => item.copied),
    freezeWindows: row.freezes.flatMap(freezeInput),
    latest: row.latest
      ? {
          ...row.latest,
          status: fromSql(DEPLOYMENT_STATUSES, row.latest.status, "deployment status"),
          queuedAt: new Date(row.latest.queuedAt),
        }
      : null,
    busy: row.busy ? { ...row.busy, status: fromSql(DEPLOYMENT_STATUSES, row.busy.status, "deployment status") } : null,
    checks: row.checks.map((c) => ({
      name: c.name,
      status: fromSql(CHECK_STATUSES, c.status, "check status"),
      url: httpUrl(c.url),
    })),
  };
}

/** A window with its kind's fields; a malformed row (missing fields) is skipped, not fatal. */
function freezeInput(f: Row["freezes"][number]): (FreezeWindowInput & { id: string })[] {
  const base = { id: f.id, reason: f.reason, timeZone: f.timeZone };
  if (f.kind === "one_off")
    return f.startsAt && f.endsAt
      ? [{ ...base, kind: "one_off", startsAt: new Date(f.startsAt), endsAt: new Date(f.endsAt) }]
      : [];
  if (f.weekday === null || f.startMinute === null || f.durationMinutes === null) return [];
  return [
    { ...base, kind: "weekly", weekday: f.weekday, startMinute: f.startMinute, durationMinutes: f.durationMinutes },
  ];
}

/** The input of lib/domain's evaluateGates, from the facts. */
export function gateInput(facts: GateFacts, now: Date): GateInput {
  return {
    now,
    release: { authorId: facts.release.authorId, branch: facts.release.branch },
    environment: facts.environment,
    previous: facts.previous ? { name: facts.previous.name, succeededAt: facts.previous.succeededAt } : null,
    approvals: facts.decisions,
    checklist: facts.checklist,
    freezeWindows: facts.freezeWindows,
    checks: facts.checks,
  };
}

/**
 * Copies the environment's checklist template into the release's own checklist, once: when the
 * release becomes the candidate there (it is created, or the stage before succeeded), or at the
 * first tick. Later template edits do not change a copy. Returns how many items were copied.
 */
export async function copyChecklist(sql: Sql, releaseId: string, environmentId: string): Promise<number> {
  // an item a CI check ticks starts ticked when that check already succeeded for the release
  // (for this environment or for every one), by whoever reported it, with its link as the note
  return sql.$executeRaw`
    insert into "ChecklistItem" (id, "releaseId", "environmentId", "templateItemId", position, section, label, hint,
      required, "checkName", "ciOnly", "checkedAt", "checkedById", "checkedByTokenId", note)
    select gen_random_uuid(), ${releaseId}::uuid, t."environmentId", ti.id, ti.position, ti.section, ti.label, ti.hint,
      ti.required, ti."checkName", ti."ciOnly", rc."updatedAt", rc."reportedById", rc."reportedByTokenId", rc.url
    from "ChecklistTemplateItem" ti join "ChecklistTemplate" t on t.id = ti."templateId"
    left join "ReleaseCheck" rc on rc."releaseId" = ${releaseId}::uuid and rc.name = ti."checkName"
      and rc.status = 'success' and (rc."environmentId" is null or rc."environmentId" = t."environmentId")
    where t."environmentId" = ${environmentId}::uuid and ti.phase = 'before'
      and not exists (select 1 from "ChecklistItem" ci where ci."releaseId" = ${releaseId}::uuid and ci."environmentId" = ${environmentId}::uuid)
    on conflict do nothing`;
}

/** The environment after `environmentId` in the pipeline, if any. */
export async function nextEnvironmentId(sql: Sql, environmentId: string): Promise<string | null> {
  const [row] = await sql.$queryRaw<{ id: string }[]>`
    select n.id from "Environment" e join "Environment" n on n.position > e.position
    where e.id = ${environmentId}::uuid order by n.position limit 1`;
  return row?.id ?? null;
}
