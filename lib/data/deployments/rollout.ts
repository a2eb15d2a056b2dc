import "server-only";
import { deploymentNews } from "../notifications/deployment-events";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DeployTargetConfig } from "@/lib/deploy/registry";
import { DEPLOY_PROVIDER_KINDS } from "@/lib/domain/deploy-providers";
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from "@/lib/domain/deployment-state";
import {
  DEPLOY_STEP,
  phaseAction,
  trafficAt,
  type DeploymentKind,
  type DeploymentPhase,
  type RolloutMove,
  type RolloutPosition,
} from "@/lib/domain/rollout-engine";
import { parseRolloutSteps, ROLLOUT_STRATEGIES } from "@/lib/domain/rollout";
import { db } from "../../db";
import { audit } from "../audit/record";
import type { Tx } from "../context";
import { fromSql, providerKindEnum } from "../enums";
import { startNext } from "./control";
import { CLAIMED_MOVE_SECONDS, sendMove } from "./move-job";
import { deploymentSucceeded } from "./succeeded";
import { moveSql } from "./transition";
import { WORKER_ID } from "./claim";

// A rollout's moves, as the worker records them. Every move happens in one transaction that
// checks the deployment's stepVersion (the one the worker's job claimed), writes the new phase,
// the step's row, measurements, log lines and audit events, and sends the job of the next move:
// state lives in the row, the next job commits with it, and a job that finds another version
// does nothing. A pause or an abort made while a provider call is in flight does not bump the
// version: the call's result is still recorded, and then the pause or the rollback wins.

export type Color = "blue" | "green";

export interface StepJob extends RolloutPosition {
  deploymentId: string;
  /** the version this worker holds (the claim bumped it) */
  stepVersion: number;
  inFlight: boolean;
  healthState: unknown;
  application: { id: string; key: string };
  environment: {
    id: string;
    key: string;
    name: string;
    url: string | null;
    healthChecks: unknown;
    healthCheckPath: string | null;
    healthCheckIntervalSeconds: number;
    healthCheckFailureThreshold: number;
  };
  release: { id: string; version: string; commitSha: string };
  previous: { id: string; version: string; commitSha: string } | null;
  color: Color | null;
  previousColor: Color | null;
  rollbackOfId: string | null;
  target: DeployTargetConfig | null;
  /** the provider's ref of the step in progress, when it remembered one */
  providerRef: string | null;
  failureReason: string | null;
  /** where the release runs and where its idle colour answers, as the provider last reported */
  serviceUrl: string | null;
  previewUrl: string | null;
}

interface Row {
  id: string;
  kind: string;
  status: string;
  strategy: string;
  plan: unknown;
  currentStep: number;
  phase: string;
  skipPauses: boolean;
  stepEndsAt: Date | null;
  stepVersion: number;
  inFlight: boolean;
  healthState: unknown;
  activeColor: string | null;
  previousColor: string | null;
  rollbackOfId: string | null;
  failureReason: string | null;
  serviceUrl: string | null;
  previewUrl: string | null;
  applicationId: string;
  applicationKey: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  environmentUrl: string | null;
  healthChecks: unknown;
  healthCheckPath: string | null;
  healthCheckIntervalSeconds: number;
  healthCheckFailureThreshold: number;
  releaseId: string;
  version: string;
  commitSha: string;
  previousReleaseId: string | null;
  previousVersion: string | null;
  previousCommitSha: string | null;
}

const PROVIDER_PHASES = ["deploy", "shift", "rollback"];

const color = (c: string | null): Color | null => (c === "blue" || c === "green" ? c : null);

/** The step row a phase writes to: the deploy (-1), its smoke check (-1), a traffic step, or the rollback. */
export function stepKey(p: Pick<RolloutPosition, "strategy" | "phase" | "currentStep" | "status" | "kind">): {
  index: number;
  action: "deploy" | "smoke" | "traffic" | "rollback";
} {
  if (p.phase === "rollback" || p.status === "rolling_back" || p.kind === "rollback")
    return { index: p.currentStep, action: "rollback" };
  if (p.phase === "smoke") return { index: DEPLOY_STEP, action: "smoke" };
  if (p.currentStep === DEPLOY_STEP || p.strategy === "direct") return { index: DEPLOY_STEP, action: "deploy" };
  return { index: p.currentStep, action: "traffic" };
}

function toJob(row: Row, target: DeployTargetConfig | null, providerRef: string | null): StepJob {
  return {
    deploymentId: row.id,
    stepVersion: row.stepVersion,
    inFlight: row.inFlight,
    kind: row.kind as DeploymentKind,
    status: fromSql(DEPLOYMENT_STATUSES, row.status, "deployment status"),
    strategy: fromSql(ROLLOUT_STRATEGIES, row.strategy, "rollout strategy"),
    plan: parseRolloutSteps(row.plan),
    currentStep: row.currentStep,
    phase: row.phase as DeploymentPhase,
    skipPauses: row.skipPauses,
    stepEndsAt: row.stepEndsAt,
    healthState: row.healthState,
    application: { id: row.applicationId, key: row.applicationKey },
    environment: {
      id: row.environmentId,
      key: row.environmentKey,
      name: row.environmentName,
      url: row.environmentUrl,
      healthChecks: row.healthChecks,
      healthCheckPath: row.healthCheckPath,
      healthCheckIntervalSeconds: row.healthCheckIntervalSeconds,
      healthCheckFailureThreshold: row.healthCheckFailureThreshold,
    },
    release: { id: row.releaseId, version: row.version, commitSha: row.commitSha },
    previous:
      row.previousReleaseId && row.previousVersion
        ? { id: row.previousReleaseId, version: row.previousVersion, commitSha: row.previousCommitSha ?? "" }
        : null,
    color: color(row.activeColor),
    previousColor: color(row.previousColor),
    rollbackOfId: row.rollbackOfId,
    target,
    providerRef,
    failureReason: row.failureReason,
    serviceUrl: row.serviceUrl,
    previewUrl: row.previewUrl,
  };
}

async function readTarget(tx: Tx, applicationId: string, environmentId: string): Promise<DeployTargetConfig | null> {
  const target = await tx.deployTarget.findUnique({
    where: { applicationId_environmentId: { applicationId, environmentId } },
    select: { provider: true, config: true, secretEnvVar: true, timeoutSeconds: true },
  });
  return target
    ? {
        provider: providerKindEnum.fromDb(target.provider),
        config: target.config,
        secretEnvVar: target.secretEnvVar,
        timeoutSeconds: target.timeoutSeconds,
      }
    : null;
}

const SELECT_ROW = Prisma.sql`
  d.id, d.kind::text as kind, d.status::text as status, d.strategy::text as strategy, d.plan, d."currentStep",
  d.phase::text as phase, d."skipPauses", d."stepEndsAt", d."stepVersion", d."inFlight", d."healthState",
  d."activeColor"::text as "activeColor", d."previousColor"::text as "previousColor", d."rollbackOfId",
  d."failureReason", d."serviceUrl", d."previewUrl",
  a.id as "applicationId", a.key as "applicationKey",
  e.id as "environmentId", e.key as "environmentKey", e.name as "environmentName", e.url as "environmentUrl",
  e."healthChecks", e."healthCheckPath", e."healthCheckIntervalSeconds", e."healthCheckFailureThreshold",
  r.id as "releaseId", r.version, r."commitSha",
  p.id as "previousReleaseId", p.version as "previousVersion", p."commitSha" as "previousCommitSha"`;

/**
 * Takes the move a job names: bumps stepVersion if it is still `expected` and the rollout still
 * moves (running or rolling back), marks a provider call in flight, and returns everything the
 * worker needs. Null: a duplicate or stale job, or a deployment that no longer moves.
 */
export async function claimStep(
  deploymentId: string,
  expected: number,
  options: { workerId?: string; statuses?: readonly string[] } = {},
): Promise<StepJob | null> {
  const workerId = options.workerId ?? WORKER_ID;
  const statuses = options.statuses ?? ["running", "rolling_back"];
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Row[]>`
      with moved as (
        update "Deployment" set "stepVersion" = "stepVersion" + 1, "heartbeatAt" = now(), "workerId" = ${workerId},
          "inFlight" = (phase::text = any(${PROVIDER_PHASES}::text[])),
          -- a provider call is watched by its heartbeat; any other move is over within this bound
          "nextMoveAt" = case when phase::text = any(${PROVIDER_PHASES}::text[]) then null
            else now() + make_interval(secs => ${CLAIMED_MOVE_SECONDS}) end
        where id = ${deploymentId}::uuid and "stepVersion" = ${expected}
          and status::text = any(${statuses}::text[])
        returning *)
      select ${SELECT_ROW}
      from moved d join "Application" a on a.id = d."applicationId" join "Environment" e on e.id = d."environmentId"
        join "Release" r on r.id = d."releaseId" left join "Release" p on p.id = d."previousReleaseId"`;
    if (!row) return null;
    const job = toJob(row, await readTarget(tx, row.applicationId, row.environmentId), null);
    const action = phaseAction(job);
    const key = stepKey(job);
    const [step] = await tx.$queryRaw<{ providerRef: string | null }[]>`
      select "providerRef" from "DeploymentStep"
      where "deploymentId" = ${deploymentId}::uuid and index = ${key.index} and action = ${key.action}`;
    // a provider call whose step already has a ref was cut off: the worker follows it, never repeats it
    job.providerRef = step?.providerRef ?? null;
    if (action) {
      const percent = action === "rollback" ? 0 : trafficAt(job, action === "deploy" ? DEPLOY_STEP : job.currentStep);
      await tx.$executeRaw`
        insert into "DeploymentStep" ("deploymentId", index, action, "trafficPercent", status)
        values (${deploymentId}::uuid, ${key.index}, ${key.action}, ${percent}, 'running')
        on conflict ("deploymentId", index, action) do update set status = 'running', "finishedAt" = null`;
    } else if (job.phase === "smoke") {
      // a smoke round again, after a pause for a person
      await tx.$executeRaw`
        update "DeploymentStep" set status = 'analysing', "finishedAt" = null
        where "deploymentId" = ${deploymentId}::uuid and index = ${DEPLOY_STEP} and action = 'smoke'`;
    }
    return job;
  });
}

/**
 * The first step of a claimed deployment (the deploy job's claim moved it queued → running):
 * version 0 is the one its first move expects.
 */
export const FIRST_STEP_VERSION = 0;

/** The provider remembered its ref for the step in flight (a workflow run id). */
export async function rememberProviderRef(job: StepJob, providerRef: string): Promise<void> {
  const key = stepKey(job);
  await db().$executeRaw`
    update "DeploymentStep" set "providerRef" = ${providerRef}
    where "deploymentId" = ${job.deploymentId}::uuid and index = ${key.index} and action = ${key.action}`;
}

export interface Measurement {
  check: string;
  kind: string;
  value: number | null;
  outcome: "success" | "failure" | "inconclusive";
  message: string;
  at: Date;
}

export interface MoveExtras {
  providerRef?: string | null;
  /** what the provider or the round said, for the step row and the log */
  message?: string | null;
  measurements?: Measurement[];
  healthState?: unknown;
  /** the step was cut off (a crash, a stop past its grace period), not failed by the provider */
  interrupted?: boolean;
  /** where the release runs, as the provider reported it with its result (kept when absent) */
  serviceUrl?: string | null;
  previewUrl?: string | null;
  /** the step had nothing to do (a smoke check without checks to make): shown as skipped */
  skipped?: boolean;
}

const STEP_WORDS: Record<string, string> = {
  deploy: "deploy",
  smoke: "smoke check",
  traffic: "traffic step",
  rollback: "rollback",
};

function describeStep(job: Pick<StepJob, "plan" | "strategy">, key: { index: number; action: string }): string {
  if (key.action === "traffic") return `step ${key.index + 1} of ${job.plan.length} (${trafficAt(job, key.index)} %)`;
  return STEP_WORDS[key.action] ?? key.action;
}

async function log(tx: Tx, deploymentId: string, line: string): Promise<void> {
  await tx.deploymentLogLine.create({ data: { deploymentId, stream: "SYSTEM", line: line.slice(0, 4000) } });
}

type Settled = "succeed" | "fail" | "rolled_back" | "rollback_failed";
const FINAL_EVENT: Record<Settled, "succeed" | "fail" | "rollback_succeed" | "rollback_fail"> = {
  succeed: "succeed",
  fail: "fail",
  rolled_back: "rollback_succeed",
  rollback_failed: "rollback_fail",
};

/**
 * Records `move` for the job's step, if the deployment still has the job's version. Returns the
 * status it is left in, or null when the job was stale (nothing written).
 */
export async function recordMove(job: StepJob, move: RolloutMove, extras: MoveExtras = {}): Promise<string | null> {
  return db().$transaction(async (tx) => {
    const [now] = await tx.$queryRaw<{ status: string; stepVersion: number }[]>`
      select status::text as status, "stepVersion" from "Deployment" where id = ${job.deploymentId}::uuid for update`;
    if (!now || now.stepVersion !== job.stepVersion) return null;
    const status = fromSql(DEPLOYMENT_STATUSES, now.status, "deployment status");
    const key = stepKey(job);
    const where = { deploymentId: job.deploymentId, environmentId: job.environment.id };

    if (extras.measurements?.length)
      await tx.healthMeasurement.createMany({
        data: extras.measurements.map((m) => ({
          deploymentId: job.deploymentId,
          step: job.currentStep,
          check: m.check.slice(0, 200),
          kind: m.kind,
          value: m.value !== null && Number.isFinite(m.value) ? m.value : null,
          outcome: m.outcome === "success" ? "SUCCESS" : m.outcome === "failure" ? "FAILURE" : "INCONCLUSIVE",
          message: m.message.slice(0, 1000),
          at: m.at,
        })),
      });
    const version = job.stepVersion + 1;
    const base = Prisma.sql`"stepVersion" = ${version}, "inFlight" = false, "heartbeatAt" = now(),
      "serviceUrl" = coalesce(${extras.serviceUrl ?? null}, "serviceUrl"),
      "previewUrl" = coalesce(${extras.previewUrl ?? null}, "previewUrl")`;
    const healthState =
      extras.healthState === undefined
        ? Prisma.empty
        : Prisma.sql`, "healthState" = ${JSON.stringify(extras.healthState)}::jsonb`;

    // the step this job worked on: its outcome
    const stepStatus =
      move.to === "await"
        ? "awaiting"
        : move.to === "analyse" || move.to === "analyse_again"
          ? "analysing"
          : move.to === "pause"
            ? "paused"
            : move.to === "fail" || move.to === "rollback" || move.to === "rollback_failed"
              ? "failed"
              : extras.skipped
                ? "skipped"
                : "succeeded";
    const finished = ["awaiting", "analysing", "paused"].includes(stepStatus) ? null : new Date();
    await tx.$executeRaw`
      update "DeploymentStep" set status = ${stepStatus}, "finishedAt" = ${finished},
        message = coalesce(${extras.message ?? null}, message), "providerRef" = coalesce(${extras.providerRef ?? null}, "providerRef")
      where "deploymentId" = ${job.deploymentId}::uuid and index = ${key.index} and action = ${key.action}`;
    if (extras.message)
      await log(
        tx,
        job.deploymentId,
        extras.interrupted ? extras.message : `${describeStep(job, key)}: ${extras.message}`,
      );

    // a person aborted while the call was in flight: the rollback goes first, whatever the call said
    if (status === "rolling_back" && job.phase !== "rollback" && job.phase !== "await") {
      await tx.$executeRaw`update "Deployment" set ${base}${healthState}, phase = 'rollback'
        where id = ${job.deploymentId}::uuid`;
      await sendMove(tx, job.deploymentId, version);
      return status;
    }
    // a person paused while the call was in flight: the move is recorded, the next job waits for resume
    const held = status === "paused";

    switch (move.to) {
      case "smoke": {
        await tx.$executeRaw`update "Deployment" set ${base}${healthState}, phase = 'smoke'
          where id = ${job.deploymentId}::uuid`;
        await tx.$executeRaw`
          insert into "DeploymentStep" ("deploymentId", index, action, "trafficPercent", status)
          values (${job.deploymentId}::uuid, ${DEPLOY_STEP}, 'smoke', 0, 'analysing')
          on conflict ("deploymentId", index, action) do update set status = 'analysing', "finishedAt" = null`;
        if (!held) await sendMove(tx, job.deploymentId, version);
        return status;
      }
      case "shift":
      case "analyse": {
        const traffic =
          move.to === "analyse" ? trafficAt(job, job.strategy === "direct" ? DEPLOY_STEP : move.step) : null;
        await tx.$executeRaw`
          update "Deployment" set ${base}${healthState}, phase = ${move.to}::"DeploymentPhase", "currentStep" = ${move.step},
            "stepStartedAt" = case when ${move.to} = 'shift' then now() else "stepStartedAt" end,
            "stepEndsAt" = ${move.to === "analyse" ? move.endsAt : null},
            "trafficPercent" = coalesce(${traffic}, "trafficPercent")
          where id = ${job.deploymentId}::uuid`;
        if (move.to === "analyse")
          await tx.$executeRaw`
            update "DeploymentStep" set status = 'analysing', "finishedAt" = null
            where "deploymentId" = ${job.deploymentId}::uuid
              and index = ${job.strategy === "direct" ? DEPLOY_STEP : move.step}
              and action = ${job.strategy === "direct" ? "deploy" : "traffic"}`;
        if (!held) await sendMove(tx, job.deploymentId, version);
        if (move.to === "analyse" && traffic !== null && job.strategy !== "direct")
          await audit(tx, null, {
            action: "deployment.step",
            entityType: "Deployment",
            entityId: job.deploymentId,
            environmentId: job.environment.id,
            after: {
              version: job.release.version,
              step: describeStep(job, key),
              traffic,
              message: extras.message ?? null,
            },
          });
        return status;
      }
      case "analyse_again": {
        await tx.$executeRaw`update "Deployment" set ${base}${healthState} where id = ${job.deploymentId}::uuid`;
        if (!held) await sendMove(tx, job.deploymentId, version, move.at);
        return status;
      }
      case "await": {
        await tx.$executeRaw`update "Deployment" set ${base}${healthState}, phase = 'await', "stepEndsAt" = ${move.deadline}
          where id = ${job.deploymentId}::uuid`;
        // the deadline: a job that finds the step still awaited fails it
        await sendMove(tx, job.deploymentId, version, move.deadline);
        return status;
      }
      case "pause": {
        const pause = moveSql("pause");
        await tx.$executeRaw`update "Deployment" set ${base}${healthState}, status = ${pause.to}, "pauseReason" = ${move.reason.slice(0, 1000)}
          where id = ${job.deploymentId}::uuid and ${pause.allowed}`;
        await log(tx, job.deploymentId, `Paused for a decision: ${move.reason}`);
        await audit(tx, null, {
          action: "deployment.pause",
          entityType: "Deployment",
          entityId: job.deploymentId,
          environmentId: job.environment.id,
          before: { status },
          after: { status: "paused", version: job.release.version, reason: move.reason, automatic: true },
        });
        await deploymentNews(tx, "deployment.paused", newsOf(job, move.reason));
        return "paused";
      }
      case "rollback": {
        if (!job.previous) {
          // nothing ran here before: there is nothing to put back
          return settle(
            tx,
            job,
            "fail",
            `${move.reason} (nothing ran here before, so there is nothing to roll back to)`,
          );
        }
        const rollback = moveSql("rollback");
        await tx.$executeRaw`update "Deployment" set ${base}${healthState}, status = ${rollback.to}, phase = 'rollback',
            "failureReason" = ${move.reason.slice(0, 2000)}, "pauseReason" = null
          where id = ${job.deploymentId}::uuid and ${rollback.allowed}`;
        await log(tx, job.deploymentId, `Rolling back automatically: ${move.reason}`);
        await audit(tx, null, {
          action: "deployment.rollback",
          entityType: "Deployment",
          entityId: job.deploymentId,
          environmentId: job.environment.id,
          before: { status },
          after: { status: "rolling_back", version: job.release.version, reason: move.reason, automatic: true },
        });
        await sendMove(tx, job.deploymentId, version);
        return "rolling_back";
      }
      case "succeed":
      case "fail":
      case "rolled_back":
      case "rollback_failed":
        return settle(tx, job, move.to, "reason" in move ? move.reason : null, extras.interrupted === true, extras);
    }
    void where;
    return status;
  });
}

/** The deployment ends: its final status, log line and audit row, what follows, and the queue moves on. */
async function settle(
  tx: Tx,
  job: StepJob,
  how: Settled,
  reason: string | null,
  interrupted = false,
  urls: Pick<MoveExtras, "serviceUrl" | "previewUrl"> = {},
): Promise<string> {
  // a direct deploy cut off mid-way leaves the environment unknown until a deploy or a version check
  const unknown = interrupted && job.phase === "deploy" && job.strategy === "direct";
  const move = moveSql(FINAL_EVENT[how]);
  const traffic = how === "succeed" ? 100 : how === "rolled_back" ? 0 : null;
  const failure =
    how === "rollback_failed"
      ? `Rollback failed: ${reason}. ${job.failureReason ?? ""}`.trim()
      : (reason ?? job.failureReason);
  const updated = await tx.$executeRaw`
    update "Deployment" set "stepVersion" = ${job.stepVersion + 1}, "inFlight" = false, status = ${move.to}, phase = 'done',
      "finishedAt" = now(), "heartbeatAt" = null, "nextMoveAt" = null, "interruptedAt" = ${unknown ? new Date() : null},
      "failureReason" = ${how === "succeed" ? null : (failure?.slice(0, 2000) ?? null)},
      "trafficPercent" = coalesce(${traffic}, "trafficPercent"), "pauseReason" = null,
      "serviceUrl" = coalesce(${urls.serviceUrl ?? null}, "serviceUrl"),
      "previewUrl" = coalesce(${urls.previewUrl ?? null}, "previewUrl")
    where id = ${job.deploymentId}::uuid and ${move.allowed}`;
  if (updated === 0) return job.status;
  const version = job.release.version;
  const finalStatus = how === "succeed" ? "succeeded" : how === "rolled_back" ? "rolled_back" : "failed";
  if (how === "succeed") {
    await log(
      tx,
      job.deploymentId,
      job.kind === "rollback"
        ? `Rolled back ${job.environment.name} to ${version}`
        : `Deployed ${version} to ${job.environment.name}`,
    );
  } else if (how === "rolled_back") {
    await log(
      tx,
      job.deploymentId,
      `Rolled back: ${job.previous?.version ?? "the previous release"} takes all traffic again`,
    );
  } else if (!interrupted) {
    await log(tx, job.deploymentId, `Deploy failed: ${failure}`);
  }
  await audit(tx, null, {
    action:
      how === "succeed" ? "deployment.succeed" : how === "rolled_back" ? "deployment.rolled_back" : "deployment.fail",
    entityType: "Deployment",
    entityId: job.deploymentId,
    environmentId: job.environment.id,
    before: { status: job.status },
    after:
      how === "succeed"
        ? { status: finalStatus, version, ...(job.kind === "rollback" ? { rollback: true } : {}) }
        : { status: finalStatus, version, reason: failure, ...(interrupted ? { interrupted: true } : {}) },
  });
  if (how === "succeed") {
    if (job.kind === "rollback") {
      await holdAfterRollback(tx, job);
      await deploymentNews(tx, "deployment.rolled_back", newsOf(job, job.failureReason));
    } else await deploymentSucceeded(tx, { releaseId: job.release.id, environmentId: job.environment.id });
  } else
    await deploymentNews(
      tx,
      how === "rolled_back" ? "deployment.rolled_back" : "deployment.failed",
      newsOf(job, failure ?? null),
    );
  await startNext(tx, job.application.id, job.environment.id);
  return finalStatus;
}

function newsOf(job: StepJob, reason: string | null) {
  return {
    deploymentId: job.deploymentId,
    applicationId: job.application.id,
    applicationKey: job.application.key,
    environmentId: job.environment.id,
    environmentName: job.environment.name,
    releaseId: job.release.id,
    version: job.release.version,
    reason,
  };
}

/** After a one-click rollback the application holds the restored version here. */
async function holdAfterRollback(tx: Tx, job: StepJob): Promise<void> {
  const reason = job.failureReason ?? "rolled back";
  await tx.environmentHold.upsert({
    where: { applicationId_environmentId: { applicationId: job.application.id, environmentId: job.environment.id } },
    create: {
      applicationId: job.application.id,
      environmentId: job.environment.id,
      releaseId: job.release.id,
      deploymentId: job.deploymentId,
      reason,
    },
    update: { releaseId: job.release.id, deploymentId: job.deploymentId, reason, createdAt: new Date() },
  });
  await audit(tx, null, {
    action: "environment.hold",
    entityType: "Environment",
    entityId: job.environment.id,
    environmentId: job.environment.id,
    after: { application: job.application.key, version: job.release.version, deploymentId: job.deploymentId },
  });
}

/** A deployment some of whose moves are due: heartbeat while a provider call is in flight. */
export async function stepHeartbeat(deploymentId: string): Promise<void> {
  await db().$executeRaw`update "Deployment" set "heartbeatAt" = now()
    where id = ${deploymentId}::uuid and status::text in ('running', 'paused', 'rolling_back') and "inFlight"`;
}

export type { DeploymentStatus };

export interface StaleCall {
  id: string;
  stepVersion: number;
  providerRef: string | null;
  target: DeployTargetConfig | null;
  strategy: string;
  phase: string;
}

interface StaleRow extends Omit<StaleCall, "target"> {
  provider: string | null;
  config: unknown;
  secretEnvVar: string | null;
  timeoutSeconds: number | null;
}

/**
 * Provider calls in flight whose worker stopped beating (killed, crashed): each is either
 * followed by a new worker (a provider that remembered its remote work) or ended as interrupted.
 * One statement: the step's ref and the deploy target come with each row.
 */
export async function staleCalls(staleSeconds: number, ids?: string[]): Promise<StaleCall[]> {
  const rows = await db().$queryRaw<StaleRow[]>`
    select d.id, d."stepVersion", d.strategy::text as strategy, d.phase::text as phase,
      (select s."providerRef" from "DeploymentStep" s where s."deploymentId" = d.id
        order by s."startedAt" desc, s.id desc limit 1) as "providerRef",
      t.provider::text as provider, t.config, t."secretEnvVar", t."timeoutSeconds"
    from "Deployment" d
      left join "DeployTarget" t on t."applicationId" = d."applicationId" and t."environmentId" = d."environmentId"
    where d."inFlight" and d.status::text in ('running', 'paused', 'rolling_back')
      and ${
        ids
          ? Prisma.sql`d.id = any(${ids}::uuid[])`
          : Prisma.sql`coalesce(d."heartbeatAt", d."startedAt", d."queuedAt") < now() - make_interval(secs => ${staleSeconds})`
      }
    limit 100`;
  return rows.map((r) => ({
    id: r.id,
    stepVersion: r.stepVersion,
    providerRef: r.providerRef,
    strategy: r.strategy,
    phase: r.phase,
    target:
      r.provider === null
        ? null
        : {
            provider: fromSql(DEPLOY_PROVIDER_KINDS, r.provider, "deploy provider"),
            config: r.config,
            secretEnvVar: r.secretEnvVar,
            timeoutSeconds: r.timeoutSeconds ?? 600,
          },
  }));
}

/** A cut-off call whose provider can follow its remote work: the job of its move, sent again. */
export async function resumeCall(call: Pick<StaleCall, "id" | "stepVersion">): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const touched = await tx.$executeRaw`
      update "Deployment" set "heartbeatAt" = now()
      where id = ${call.id}::uuid and "stepVersion" = ${call.stepVersion} and "inFlight"`;
    if (touched === 0) return false;
    // its claim bumps the version: should the old worker wake up after all, its result is stale
    await sendMove(tx, call.id, call.stepVersion);
    await log(tx, call.id, "The worker running this step stopped; another picks the step up");
    return true;
  });
}
