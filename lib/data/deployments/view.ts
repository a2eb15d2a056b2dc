import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { deploymentChecklistClosed, type DeploymentChecklistPhase } from "@/lib/domain/deployment-checklist";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-state";
import { parseRolloutSteps, type RolloutStep } from "@/lib/domain/rollout";
import { db } from "../../db";
import { fromSql } from "../enums";
import { NotFoundError } from "../errors";
import { defineOperation } from "../operation";

// One deployment as its page and the API show it: where the rollout is (steps with their state,
// the traffic split between the colours), its health measurements over time, the tail of its
// log, and which controls the viewer may use now. One query whatever the number of steps or
// measurements; hidden from who may not see the environment (404, like an unknown id).

export const MEASUREMENT_TAIL = 600;
export const LOG_TAIL = 400;

export interface DeploymentStepView {
  index: number;
  action: "deploy" | "smoke" | "traffic" | "rollback";
  trafficPercent: number;
  status: string;
  message: string | null;
  providerRef: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface MeasurementView {
  at: Date;
  step: number;
  check: string;
  kind: string;
  value: number | null;
  outcome: "success" | "failure" | "inconclusive";
  message: string;
}

export interface DeploymentChecklistEntry {
  id: string;
  section: string | null;
  label: string;
  hint: string | null;
  checked: boolean;
  checkedBy: string | null;
  checkedAt: Date | null;
  note: string | null;
}

export interface DeploymentChecklistPart {
  /** null: its items may be ticked now; otherwise why not (lib/domain/deployment-checklist.ts) */
  closed: string | null;
  items: DeploymentChecklistEntry[];
}

export interface DeploymentView {
  id: string;
  kind: "promotion" | "rollback";
  status: string;
  phase: string;
  strategy: "direct" | "blue_green" | "canary";
  plan: RolloutStep[];
  currentStep: number;
  trafficPercent: number;
  color: "blue" | "green" | null;
  previousColor: "blue" | "green" | null;
  skipPauses: boolean;
  stepEndsAt: Date | null;
  pauseReason: string | null;
  failureReason: string | null;
  overrideReason: string | null;
  /** where the release runs, and the idle colour it was deployed to, as the deploy target reported */
  serviceUrl: string | null;
  previewUrl: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** how many deployments wait ahead of this one (queued only) */
  queuePosition: number | null;
  application: { id: string; key: string; name: string };
  environment: { id: string; key: string; name: string; color: string; url: string | null };
  release: { id: string; version: string; title: string | null };
  previousRelease: { id: string; version: string } | null;
  rollbackOf: { id: string; version: string } | null;
  triggeredBy: string | null;
  provider: string | null;
  steps: DeploymentStepView[];
  measurements: MeasurementView[];
  log: { id: string; at: Date; stream: "stdout" | "stderr" | "system"; line: string }[];
  logTruncated: boolean;
  /** its "during" and "after" items (none for a rollback, or where the environment has none) */
  checklist: Record<DeploymentChecklistPhase, DeploymentChecklistPart> & {
    /** the viewer holds checklist.tick here (the server checks again) */
    mayTick: boolean;
  };
  /** what the viewer may do now (the server checks again) */
  controls: { pause: boolean; resume: boolean; abort: boolean; promoteNow: boolean; cancel: boolean };
}

interface Row {
  id: string;
  kind: "promotion" | "rollback";
  status: string;
  phase: string;
  strategy: "direct" | "blue_green" | "canary";
  plan: unknown;
  currentStep: number;
  trafficPercent: number;
  activeColor: "blue" | "green" | null;
  previousColor: "blue" | "green" | null;
  skipPauses: boolean;
  stepEndsAt: Date | null;
  pauseReason: string | null;
  failureReason: string | null;
  overrideReason: string | null;
  serviceUrl: string | null;
  previewUrl: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  queuePosition: number | null;
  applicationId: string;
  applicationKey: string;
  applicationName: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  environmentColor: string;
  environmentUrl: string | null;
  releaseId: string;
  version: string;
  title: string | null;
  previousReleaseId: string | null;
  previousVersion: string | null;
  rollbackOfId: string | null;
  rollbackOfVersion: string | null;
  triggeredBy: string | null;
  provider: string | null;
  steps: (Omit<DeploymentStepView, "startedAt" | "finishedAt"> & { startedAt: string; finishedAt: string | null })[];
  measurements: (Omit<MeasurementView, "at"> & { at: string })[];
  lines: { id: string; at: string; stream: "stdout" | "stderr" | "system"; line: string }[];
  checklist: (Omit<DeploymentChecklistEntry, "checkedAt"> & {
    phase: DeploymentChecklistPhase;
    checkedAt: string | null;
  })[];
}

async function readDeployment(actor: Actor, deploymentId: string): Promise<DeploymentView> {
  const [row] = await db().$queryRaw<Row[]>`
    select d.id, d.kind::text as kind, d.status::text as status, d.phase::text as phase, d.strategy::text as strategy,
      d.plan, d."currentStep", d."trafficPercent", d."activeColor"::text as "activeColor",
      d."previousColor"::text as "previousColor", d."skipPauses", d."stepEndsAt", d."pauseReason", d."failureReason",
      d."overrideReason", d."serviceUrl", d."previewUrl", d."queuedAt", d."startedAt", d."finishedAt",
      case when d.status = 'queued' then (select count(*)::int from "Deployment" q
        where q."applicationId" = d."applicationId" and q."environmentId" = d."environmentId"
          and q.status = 'queued' and (q."queuedAt", q.id) < (d."queuedAt", d.id)) end as "queuePosition",
      a.id as "applicationId", a.key as "applicationKey", a.name as "applicationName",
      e.id as "environmentId", e.key as "environmentKey", e.name as "environmentName", e.color as "environmentColor",
      e.url as "environmentUrl",
      r.id as "releaseId", r.version, r.title,
      p.id as "previousReleaseId", p.version as "previousVersion",
      d."rollbackOfId", rr.version as "rollbackOfVersion",
      coalesce(u.name, u.email, case when t.id is not null then 'token ' || t.name end) as "triggeredBy",
      dt.provider::text as provider,
      (select coalesce(json_agg(json_build_object('index', s.index, 'action', s.action, 'trafficPercent', s."trafficPercent",
          'status', s.status, 'message', s.message, 'providerRef', s."providerRef", 'startedAt', s."startedAt",
          'finishedAt', s."finishedAt") order by s."startedAt", s.id), '[]'::json)
        from "DeploymentStep" s where s."deploymentId" = d.id) as steps,
      (select coalesce(json_agg(json_build_object('at', m.at, 'step', m.step, 'check', m."check", 'kind', m.kind,
          'value', m.value, 'outcome', m.outcome, 'message', m.message) order by m.at, m.id), '[]'::json)
        from (select * from "HealthMeasurement" where "deploymentId" = d.id order by id desc limit ${MEASUREMENT_TAIL}) m)
        as measurements,
      (select coalesce(json_agg(json_build_object('id', l.id::text, 'at', l.at, 'stream', l.stream, 'line', l.line)), '[]'::json)
        from (select * from "DeploymentLogLine" where "deploymentId" = d.id order by id desc limit ${LOG_TAIL + 1}) l) as lines,
      (select coalesce(json_agg(json_build_object('id', i.id, 'phase', i.phase, 'section', i.section, 'label', i.label,
          'hint', i.hint, 'checked', i."checkedAt" is not null, 'checkedAt', i."checkedAt", 'note', i.note,
          'checkedBy', coalesce(cu.name, cu.email, case when ck.id is not null then 'token ' || ck.name end))
          order by i.phase, i.position, i.id), '[]'::json)
        from "DeploymentChecklistItem" i
        left join "User" cu on cu.id = i."checkedById"
        left join "ApiToken" ck on ck.id = i."checkedByTokenId"
        where i."deploymentId" = d.id) as checklist
    from "Deployment" d
    join "Application" a on a.id = d."applicationId"
    join "Environment" e on e.id = d."environmentId"
    join "Release" r on r.id = d."releaseId"
    left join "Release" p on p.id = d."previousReleaseId"
    left join "Deployment" rb on rb.id = d."rollbackOfId"
    left join "Release" rr on rr.id = rb."releaseId"
    left join "User" u on u.id = d."triggeredById"
    left join "ApiToken" t on t.id = d."triggeredByTokenId"
    left join "DeployTarget" dt on dt."applicationId" = d."applicationId" and dt."environmentId" = d."environmentId"
    where d.id = ${deploymentId}::uuid`;
  if (!row || !can(actor, "environment.view", row.environmentId)) throw new NotFoundError("Deployment");
  const may = can(actor, "deploy.trigger", row.environmentId);
  const moving = row.status === "running" || row.status === "paused";
  const status = fromSql(DEPLOYMENT_STATUSES, row.status, "deployment status");
  const part = (phase: DeploymentChecklistPhase): DeploymentChecklistPart => ({
    closed: deploymentChecklistClosed(phase, status),
    items: row.checklist
      .filter((i) => i.phase === phase)
      .map(({ phase: _phase, ...i }) => ({ ...i, checkedAt: i.checkedAt ? new Date(i.checkedAt) : null })),
  });
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    phase: row.phase,
    strategy: row.strategy,
    plan: parseRolloutSteps(row.plan),
    currentStep: row.currentStep,
    trafficPercent: row.trafficPercent,
    color: row.activeColor,
    previousColor: row.previousColor,
    skipPauses: row.skipPauses,
    stepEndsAt: row.stepEndsAt,
    pauseReason: row.pauseReason,
    failureReason: row.failureReason,
    overrideReason: row.overrideReason,
    serviceUrl: row.serviceUrl,
    previewUrl: row.previewUrl,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    queuePosition: row.queuePosition,
    application: { id: row.applicationId, key: row.applicationKey, name: row.applicationName },
    environment: {
      id: row.environmentId,
      key: row.environmentKey,
      name: row.environmentName,
      color: row.environmentColor,
      url: row.environmentUrl,
    },
    release: { id: row.releaseId, version: row.version, title: row.title },
    previousRelease:
      row.previousReleaseId && row.previousVersion ? { id: row.previousReleaseId, version: row.previousVersion } : null,
    rollbackOf:
      row.rollbackOfId && row.rollbackOfVersion ? { id: row.rollbackOfId, version: row.rollbackOfVersion } : null,
    triggeredBy: row.triggeredBy,
    provider: row.provider,
    steps: row.steps.map((s) => ({
      ...s,
      startedAt: new Date(s.startedAt),
      finishedAt: s.finishedAt ? new Date(s.finishedAt) : null,
    })),
    measurements: row.measurements.map((m) => ({ ...m, at: new Date(m.at) })),
    log: row.lines
      .slice(0, LOG_TAIL)
      .reverse()
      .map((l) => ({ id: l.id, at: new Date(l.at), stream: l.stream, line: l.line })),
    logTruncated: row.lines.length > LOG_TAIL,
    checklist: {
      during: part("during"),
      after: part("after"),
      mayTick: can(actor, "checklist.tick", row.environmentId),
    },
    controls: {
      pause: may && row.status === "running" && row.phase !== "rollback",
      resume: may && row.status === "paused",
      abort: may && moving,
      promoteNow: may && moving && row.phase !== "rollback" && row.strategy !== "direct",
      cancel: may && row.status === "queued",
    },
  };
}

const deploymentRead = defineOperation({
  name: "deployment.read",
  scope: "visible",
  effect: "read",
  input: z.object({ deploymentId: z.string().max(100) }),
  run: ({ actor, input }) => {
    // an id that is no UUID names no deployment (and PostgreSQL would refuse the cast)
    if (!z.guid().safeParse(input.deploymentId).success) throw new NotFoundError("Deployment");
    return readDeployment(actor, input.deploymentId);
  },
});

/** A deployment with its rollout, health and log. Hidden environment or unknown id → NotFoundError. */
export function getDeployment(actor: Actor, deploymentId: string): Promise<DeploymentView> {
  return deploymentRead(actor, { deploymentId });
}

/** Which releases hold their version after a rollback, per application × environment. */
export async function holdsIn(environmentIds: readonly string[]) {
  return db().environmentHold.findMany({
    where: { environmentId: { in: [...environmentIds] } },
    select: {
      applicationId: true,
      environmentId: true,
      reason: true,
      createdAt: true,
      release: { select: { version: true } },
    },
  });
}
