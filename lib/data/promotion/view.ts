import "server-only";
import { defineOperation } from "../operation";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import {
  evaluateGates,
  gatesPass,
  onlyFreezeFails,
  timeOpensGatesAt,
  type Gate,
  type GateInput,
} from "@/lib/domain/gates";
import { isActiveStatus, type ActiveStatus } from "@/lib/domain/deployment-state";
import { db } from "../../db";
import { environmentByKey } from "../environments/by-key";
import { NotFoundError } from "../errors";
import { gateInput, readGateFacts, type ChecklistFact, type GateFacts } from "./gate-facts";
import { isCandidate } from "./auto-promote";
import { branchAllowed } from "@/lib/domain/branches";
import { nextEnvironmentOf, readReleaseRange, type ReleaseRange } from "./range";
import { Prisma } from "@/lib/generated/prisma/client";

// What the release page shows about the release's NEXT step: the environment it would be
// promoted into, the gate list exactly as lib/domain evaluates it (and as the promote action
// will evaluate it again), the decisions, the checklist, and what the viewer may do there.

export interface DecisionView {
  userId: string;
  userName: string;
  decision: "approved" | "rejected";
  comment: string | null;
  roleKey: string;
  roleName: string | null;
  decidedAt: Date;
  /** whether the decision counts: the user may approve there and, for an approval, is not the prevented author */
  counts: boolean;
  mine: boolean;
}

export interface PromotionView {
  asOf: Date;
  releaseId: string;
  version: string;
  environment: {
    id: string;
    key: string;
    name: string;
    protected: boolean;
    requiredApprovals: number;
    preventSelfApproval: boolean;
  };
  previous: { key: string; name: string } | null;
  gates: Gate[];
  passed: boolean;
  /** only the freeze gate fails, which a user with environment.manage may override with a reason */
  freezeOnly: boolean;
  /**
   * The environment promotes by itself: `at` is when, where only time (a soak, a freeze) holds
   * the release now; null while other gates fail or once a deployment exists.
   */
  automatic: { at: Date | null } | null;
  decisions: DecisionView[];
  checklist: ChecklistFact[];
  /** the environments whose checklists gate this promotion, in pipeline order, and whether the viewer may tick there */
  checklists: { key: string; name: string; timing: "before_entry" | "before_exit"; mayTick: boolean }[];
  /** a deployment of this release into the environment is under way (queued, running, paused, rolling back) */
  inProgress: { deploymentId: string; status: ActiveStatus } | null;
  /** another release of the application is being deployed there */
  busy: { version: string; status: string } | null;
  /** what promoting does while busy: wait in the queue, replace what waits, or be refused */
  queuePolicy: "queue" | "replace" | "refuse";
  /** decisions are final: the promotion has started */
  decisionsLocked: boolean;
  /** the releases promoting brings into the environment (or takes away from it), lib/data/promotion/range.ts */
  range: ReleaseRange;
  you: {
    isAuthor: boolean;
    mayApprove: boolean;
    mayTick: boolean;
    mayPromote: boolean;
    mayOverrideFreeze: boolean;
    decision: "approved" | "rejected" | null;
  };
}

const releaseIdSchema = z.guid();

/**
 * The release's next promotion. Unknown release → NotFoundError; no next environment, or one
 * the viewer may not see → null. `environmentKey` asks for a given environment instead.
 */
async function readPromotion(actor: Actor, releaseId: string, environmentKey?: string): Promise<PromotionView | null> {
  const asOf = new Date();
  if (!releaseIdSchema.safeParse(releaseId).success) throw new NotFoundError("Release");
  const asked = environmentKey ? (await environmentByKey(db(), environmentKey)).id : null;
  // one statement: the next environment (unless one was asked for) and the range there, which
  // stays unseen until the viewer is known to see that environment
  const read = await readReleaseRange(db(), releaseId, asked);
  if (!read) throw new NotFoundError("Release");
  const { environmentId, range } = read;
  if (!environmentId) return null;
  if (!can(actor, "environment.view", environmentId)) {
    if (environmentKey) throw new NotFoundError(`Environment "${environmentKey}"`);
    return null;
  }
  const facts = await readGateFacts(db(), releaseId, environmentId);
  if (!facts) throw new NotFoundError("Release");

  const input = gateInput(facts, asOf);
  const gates = evaluateGates(input);
  const { environment, release } = facts;
  const userId = actor.kind === "user" ? actor.id : null;
  const isAuthor = userId !== null && release.authorId === userId;
  const mine = facts.decisions.find((d) => d.userId === userId) ?? null;
  const active = facts.latest && isActiveStatus(facts.latest.status);
  return {
    asOf,
    releaseId: release.id,
    version: release.version,
    environment: {
      id: environment.id,
      key: environment.key,
      name: environment.name,
      protected: environment.protected,
      requiredApprovals: environment.requiredApprovals,
      preventSelfApproval: environment.preventSelfApproval,
    },
    previous: facts.previous ? { key: facts.previous.key, name: facts.previous.name } : null,
    gates,
    passed: gatesPass(gates),
    freezeOnly: onlyFreezeFails(gates),
    automatic: await automatically(facts, input, gates),
    decisions: facts.decisions.map((d) => ({
      userId: d.userId,
      userName: d.userName,
      decision: d.decision,
      comment: d.comment,
      roleKey: d.roleKey,
      roleName: d.roleName,
      decidedAt: d.decidedAt,
      counts:
        d.mayApprove &&
        !(d.decision === "approved" && environment.preventSelfApproval && d.userId === release.authorId),
      mine: d.userId === userId,
    })),
    checklist: facts.checklist,
    checklists: checklistEnvironments(actor, facts.checklist),
    inProgress:
      facts.latest && isActiveStatus(facts.latest.status)
        ? { deploymentId: facts.latest.id, status: facts.latest.status }
        : null,
    busy:
      facts.busy && facts.busy.id !== facts.latest?.id
        ? { version: facts.busy.version, status: facts.busy.status }
        : null,
    queuePolicy: environment.deployQueuePolicy,
    decisionsLocked: Boolean(active) || facts.latest?.status === "succeeded",
    range,
    you: {
      isAuthor,
      mayApprove: can(actor, "release.approve", environment.id) && actor.kind === "user",
      mayTick: can(actor, "checklist.tick", environment.id),
      mayPromote: can(actor, "deploy.trigger", environment.id),
      mayOverrideFreeze: can(actor, "environment.manage", environment.id),
      decision: mine?.decision ?? null,
    },
  };
}

/**
 * Whether, and when, the environment takes this release by itself: only where it would (its
 * candidate, from a branch it promotes automatically); the moment only where time alone holds it.
 */
async function automatically(facts: GateFacts, input: GateInput, gates: Gate[]): Promise<PromotionView["automatic"]> {
  const { environment, release } = facts;
  if (!environment.autoPromote || facts.latest) return null;
  if (environment.autoPromoteBranches.length > 0 && !branchAllowed(environment.autoPromoteBranches, release.branch))
    return null;
  // all gates passing yet not taken: not its candidate, or the application is held there
  if (gates.every((gate) => gate.passed)) return null;
  // one statement more, only where the stage promotes by itself and a gate holds the release
  if (!(await isCandidate(db(), release.id, environment.id))) return null;
  return { at: timeOpensGatesAt(input, gates) };
}

function checklistEnvironments(actor: Actor, items: readonly ChecklistFact[]): PromotionView["checklists"] {
  const seen = new Map<string, PromotionView["checklists"][number]>();
  for (const item of items)
    if (!seen.has(item.environmentKey))
      seen.set(item.environmentKey, {
        key: item.environmentKey,
        name: item.environmentName,
        timing: item.timing,
        mayTick: can(actor, "checklist.tick", item.environmentId),
      });
  return [...seen.values()];
}

/**
 * What a viewer who may not see the release's next stage may know of it: that someone else
 * takes it on from the last stage they see, and the checklists they see that gate that step
 * (staging's "while it runs there" list gating production, ticked by QA who never sees
 * production). The hidden stage is never named.
 */
export interface HandedOnView {
  asOf: Date;
  releaseId: string;
  version: string;
  /** the last stage the viewer sees before the hidden ones; null when they see none before them */
  stage: { key: string; name: string } | null;
  /** the checklists of stages the viewer sees that gate the hidden step, and whether they may tick them */
  checklist: ChecklistFact[];
  checklists: PromotionView["checklists"];
}

/**
 * null when the viewer sees the release's next stage (readPromotion shows it), or when the
 * release ran in the last stage of the pipeline and the viewer sees that stage too.
 */
async function readHandedOn(actor: Actor, releaseId: string): Promise<HandedOnView | null> {
  const asOf = new Date();
  if (!releaseIdSchema.safeParse(releaseId).success) throw new NotFoundError("Release");
  // one statement: the stages in order, the release's version and where it goes next (as
  // readReleaseRange finds it: nextEnvironmentOf)
  const [row] = await db().$queryRaw<
    { version: string; next: string | null; environments: { id: string; key: string; name: string }[] }[]
  >`
    select r.version, ${nextEnvironmentOf(Prisma.raw("r.id"))} as next,
      (select coalesce(json_agg(json_build_object('id', e.id, 'key', e.key, 'name', e.name) order by e.position, e.key), '[]'::json)
        from "Environment" e) as environments
    from "Release" r where r.id = ${releaseId}::uuid`;
  if (!row) throw new NotFoundError("Release");
  const { next, environments } = row;
  const release = { version: row.version };
  const at = next === null ? environments.length : environments.findIndex((e) => e.id === next);
  const hidden = next === null ? environments.slice(at - 1) : environments.slice(at, at + 1);
  // nothing hidden from this viewer where the release goes (or stands, at the end of the pipeline)
  if (hidden.length === 0 || hidden.every((e) => can(actor, "environment.view", e.id))) return null;
  const seen = environments.slice(0, at).filter((e) => can(actor, "environment.view", e.id));
  const stage = seen.at(-1) ?? null;
  let checklist: ChecklistFact[] = [];
  if (next !== null) {
    const facts = await readGateFacts(db(), releaseId, next);
    // only the lists of stages the viewer sees: the hidden stage's own stays unseen
    checklist = (facts?.checklist ?? []).filter((item) => can(actor, "environment.view", item.environmentId));
  }
  return {
    asOf,
    releaseId,
    version: release.version,
    stage: stage ? { key: stage.key, name: stage.name } : null,
    checklist,
    checklists: checklistEnvironments(actor, checklist),
  };
}

export interface DeploymentLogView {
  deploymentId: string;
  status: string;
  environmentName: string;
  version: string;
  trafficPercent: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  failureReason: string | null;
  lines: { id: string; at: Date; stream: "stdout" | "stderr" | "system"; line: string }[];
  /** more lines exist before the first one shown */
  truncated: boolean;
}

const LOG_TAIL = 500;

/** A deployment's status and the last lines of its log. Hidden environment or unknown id → NotFoundError. */
async function readDeploymentLog(actor: Actor, deploymentId: string): Promise<DeploymentLogView> {
  if (!releaseIdSchema.safeParse(deploymentId).success) throw new NotFoundError("Deployment");
  // one statement: the deployment and the tail of its log (newest first, reversed below)
  const [row] = await db().$queryRaw<LogRow[]>`
    select d.id, d.status::text as status, d."environmentId", d."trafficPercent", d."startedAt", d."finishedAt",
      d."failureReason", e.name as "environmentName", r.version,
      (select coalesce(json_agg(json_build_object('id', l.id::text, 'at', l.at, 'stream', l.stream, 'line', l.line)), '[]'::json)
        from (select * from "DeploymentLogLine" where "deploymentId" = d.id order by id desc limit ${LOG_TAIL + 1}) l) as lines
    from "Deployment" d
    join "Environment" e on e.id = d."environmentId"
    join "Release" r on r.id = d."releaseId"
    where d.id = ${deploymentId}::uuid`;
  if (!row || !can(actor, "environment.view", row.environmentId)) throw new NotFoundError("Deployment");
  const truncated = row.lines.length > LOG_TAIL;
  return {
    deploymentId: row.id,
    status: row.status,
    environmentName: row.environmentName,
    version: row.version,
    trafficPercent: row.trafficPercent,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    failureReason: row.failureReason,
    truncated,
    lines: row.lines
      .slice(0, LOG_TAIL)
      .reverse()
      .map((l) => ({ id: l.id, at: new Date(l.at), stream: l.stream, line: l.line })),
  };
}

interface LogRow {
  id: string;
  status: string;
  environmentId: string;
  trafficPercent: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  failureReason: string | null;
  environmentName: string;
  version: string;
  lines: { id: string; at: string; stream: "stdout" | "stderr" | "system"; line: string }[];
}

const promotionRead = defineOperation({
  name: "promotion.read",
  scope: "visible",
  effect: "read",
  input: z.object({ releaseId: z.string().max(100), environmentKey: z.string().max(100).optional() }),
  run: ({ actor, input }) => readPromotion(actor, input.releaseId, input.environmentKey),
});

/**
 * The release's next promotion. Unknown release → NotFoundError; no next environment, or one
 * the viewer may not see → null. `environmentKey` asks for a given environment instead.
 */
export function getPromotion(actor: Actor, releaseId: string, environmentKey?: string): Promise<PromotionView | null> {
  return promotionRead(actor, environmentKey === undefined ? { releaseId } : { releaseId, environmentKey });
}

const handedOnRead = defineOperation({
  name: "promotion.handed_on.read",
  scope: "visible",
  effect: "read",
  input: z.object({ releaseId: z.string().max(100) }),
  run: ({ actor, input }) => readHandedOn(actor, input.releaseId),
});

/**
 * Where the viewer may not see the release's next stage: the last stage they see and the
 * checklists there that gate the step they do not see. null when they see it (getPromotion).
 */
export function getHandedOn(actor: Actor, releaseId: string): Promise<HandedOnView | null> {
  return handedOnRead(actor, { releaseId });
}

const logRead = defineOperation({
  name: "deployment.log.read",
  scope: "visible",
  effect: "read",
  input: z.object({ deploymentId: z.string().max(100) }),
  run: ({ actor, input }) => readDeploymentLog(actor, input.deploymentId),
});

/** A deployment's status and the last lines of its log. Hidden environment or unknown id → NotFoundError. */
export function getDeploymentLog(actor: Actor, deploymentId: string): Promise<DeploymentLogView> {
  return logRead(actor, { deploymentId });
}
