import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { DEPLOY_PROVIDER_KINDS } from "@/lib/domain/deploy-providers";
import type { DeployTargetConfig } from "@/lib/deploy/registry";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../../db";
import { audit } from "../audit/record";
import { sqlOf, type Sql, type Tx } from "../context";
import { deploymentStatusEnum, fromSql, strategyEnum } from "../enums";
import { environmentByKey } from "../environments/by-key";
import { NotFoundError } from "../errors";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { lockApplicationEnvironment } from "../releases/lock";
import { deploymentSucceeded } from "./succeeded";
import { VERSION_CHECK_REF } from "./summary";

// "What runs there?" after an interrupted deploy. A deploy cut off mid-way leaves the
// environment in an unknown state (Deployment.interruptedAt, nothing succeeded since). Where the
// target can report its version (DeployProvider.currentVersion, lib/deploy), the worker asks it
// after reconciling, and a person with deploy.trigger there can ask from the release or
// environment page (lib/jobs/version-check.ts composes the steps: this file never calls a provider).
//
// What an answer changes: when the reported version is a release of the application, a
// Deployment row records it, succeeded, marked as a version check (providerRef "version-check",
// a log line, no process run). Pages then show that release as what runs, through the same rule
// as any deploy (the latest success), and the unknown state ends. When that release is the one
// whose deploy was interrupted, the deploy did land: what follows a success (checklists, the next
// stage's auto-promotion) follows now. A version that is no release of the application changes
// nothing but the audit trail. Every check a person asks for is audited, answered or not.

export { VERSION_CHECK_REF };

export interface VersionCheckPlan {
  application: { id: string; key: string; name: string };
  environment: { id: string; key: string; name: string; url: string | null };
  target: DeployTargetConfig | null;
  /** the interrupted deployment that left what runs unknown; null: what runs is known */
  interrupted: { deploymentId: string; releaseId: string; version: string } | null;
  /** a deploy is queued or running there now: it will tell what runs */
  busy: boolean;
}

/** What the target said: a version, or why there is none. */
export type VersionAnswer = { ok: true; version: string } | { ok: false; reason: string };

export interface VersionCheckResult {
  outcome: "recorded" | "unchanged" | "unmatched" | "unanswered" | "busy";
  /** one sentence for the page */
  message: string;
  reported: string | null;
}

interface PlanRow {
  applicationId: string;
  applicationKey: string;
  applicationName: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  environmentUrl: string | null;
  provider: string | null;
  config: unknown;
  secretEnvVar: string | null;
  timeoutSeconds: number | null;
  cutId: string | null;
  cutReleaseId: string | null;
  cutVersion: string | null;
  busy: boolean;
}

/** The interrupted deployment of a cell with nothing succeeded after it (as lib/data/pipeline reads it). */
const cutLateral = Prisma.sql`
  left join lateral (
    select d.id, d."releaseId", r.version from "Deployment" d join "Release" r on r.id = d."releaseId"
    where d."applicationId" = a.id and d."environmentId" = e.id and d.status = 'failed' and d."interruptedAt" is not null
      and not exists (
        select 1 from "Deployment" s where s."applicationId" = a.id and s."environmentId" = e.id
          and s.status = 'succeeded' and s."finishedAt" > d."interruptedAt")
    order by d."finishedAt" desc limit 1
  ) cut on true`;

const planColumns = Prisma.sql`
  a.id as "applicationId", a.key as "applicationKey", a.name as "applicationName",
  e.id as "environmentId", e.key as "environmentKey", e.name as "environmentName", e.url as "environmentUrl",
  t.provider::text as provider, t.config, t."secretEnvVar", t."timeoutSeconds",
  cut.id as "cutId", cut."releaseId" as "cutReleaseId", cut.version as "cutVersion",
  exists (select 1 from "Deployment" q where q."applicationId" = a.id and q."environmentId" = e.id
    and q.status in ('queued', 'running')) as busy`;

function toPlan(row: PlanRow): VersionCheckPlan {
  return {
    application: { id: row.applicationId, key: row.applicationKey, name: row.applicationName },
    environment: { id: row.environmentId, key: row.environmentKey, name: row.environmentName, url: row.environmentUrl },
    target:
      row.provider && row.timeoutSeconds !== null
        ? {
            provider: fromSql(DEPLOY_PROVIDER_KINDS, row.provider, "deploy provider kind"),
            config: row.config,
            secretEnvVar: row.secretEnvVar,
            timeoutSeconds: row.timeoutSeconds,
          }
        : null,
    interrupted:
      row.cutId && row.cutReleaseId && row.cutVersion !== null
        ? { deploymentId: row.cutId, releaseId: row.cutReleaseId, version: row.cutVersion }
        : null,
    busy: row.busy,
  };
}

async function readPlan(sql: Sql, applicationId: string, environmentId: string): Promise<VersionCheckPlan> {
  const [row] = await sql.$queryRaw<PlanRow[]>`
    select ${planColumns}
    from "Application" a join "Environment" e on e.id = ${environmentId}::uuid
    left join "DeployTarget" t on t."applicationId" = a.id and t."environmentId" = e.id
    ${cutLateral}
    where a.id = ${applicationId}::uuid`;
  if (!row) throw new NotFoundError("Application");
  return toPlan(row);
}

/** Every application × environment whose state is unknown now, with its target: for the worker. */
export async function unknownCells(): Promise<VersionCheckPlan[]> {
  const rows = await db().$queryRaw<PlanRow[]>`
    select ${planColumns}
    from "Application" a cross join "Environment" e
    left join "DeployTarget" t on t."applicationId" = a.id and t."environmentId" = e.id
    ${cutLateral}
    where cut.id is not null`;
  return rows.map(toPlan);
}

export const versionCheckInput = z.object({
  environmentKey,
  applicationId: z.guid("Not an application id"),
});

/**
 * The first step of a check a person asks for: validates, authorizes deploy.trigger in the
 * environment (403 recorded, 404 for an environment they cannot see) and reads what to ask.
 */
export const prepareVersionCheck = defineOperation({
  name: "deployment.check",
  permission: "deploy.trigger",
  input: versionCheckInput,
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ input, environment, ctx }) => readPlan(sqlOf(ctx), input.applicationId, environment.id),
});

/** Records a new deployment row saying `releaseId` runs there, confirmed by the check. */
async function recordConfirmed(
  tx: Tx,
  actor: Actor | null,
  plan: VersionCheckPlan,
  releaseId: string,
  version: string,
) {
  const now = new Date();
  const deployment = await tx.deployment.create({
    data: {
      releaseId,
      applicationId: plan.application.id,
      environmentId: plan.environment.id,
      status: deploymentStatusEnum.toDb("succeeded"),
      strategy: strategyEnum.toDb("direct"),
      trafficPercent: 100,
      providerRef: VERSION_CHECK_REF,
      triggeredById: actor?.kind === "user" ? actor.id : null,
      triggeredByTokenId: actor?.kind === "token" ? actor.id : null,
      queuedAt: now,
      startedAt: now,
      finishedAt: now,
    },
    select: { id: true },
  });
  await tx.deploymentLogLine.create({
    data: {
      deploymentId: deployment.id,
      stream: "SYSTEM",
      line: `Confirmed by a version check: ${plan.application.key} in ${plan.environment.name} reports ${version}. Nothing was deployed.`,
    },
  });
  return deployment.id;
}

/**
 * Records what a check found, in one transaction (under the application × environment lock,
 * so it cannot cross a promotion): a deployment row when the state was unknown and the answer
 * names a release, and the audit row (`deployment.check`), skipped for a system check the
 * target did not answer (the worker retries at each start; it would only add noise).
 */
export async function recordVersionCheck(
  actor: Actor | null,
  asked: VersionCheckPlan,
  answer: VersionAnswer,
): Promise<VersionCheckResult> {
  return db().$transaction(async (tx) => {
    await lockApplicationEnvironment(tx, asked.application.id, asked.environment.id);
    // read again under the lock: a deploy may have finished while the target was asked
    const plan = await readPlan(tx, asked.application.id, asked.environment.id);
    const where = `${plan.application.key} in ${plan.environment.name}`;
    let result: VersionCheckResult;
    let recorded: { deploymentId: string; releaseId: string } | null = null;
    if (!answer.ok) {
      result = {
        outcome: "unanswered",
        reported: null,
        message: `The target of ${where} did not say: ${answer.reason}`,
      };
    } else if (plan.busy) {
      result = {
        outcome: "busy",
        reported: answer.version,
        message: `${where} reports ${answer.version}; a deploy is under way there and will record what runs`,
      };
    } else if (!plan.interrupted) {
      result = {
        outcome: "unchanged",
        reported: answer.version,
        message: `${where} reports ${answer.version}; what runs there was already known, nothing was changed`,
      };
    } else {
      const [release] = await tx.$queryRaw<{ id: string }[]>`
        select id from "Release" where "applicationId" = ${plan.application.id}::uuid and version = ${answer.version}
        order by "createdAt" desc, id desc limit 1`;
      if (!release) {
        result = {
          outcome: "unmatched",
          reported: answer.version,
          message: `${where} reports ${answer.version}, which is no release of ${plan.application.key}: what runs stays unknown`,
        };
      } else {
        const deploymentId = await recordConfirmed(tx, actor, plan, release.id, answer.version);
        recorded = { deploymentId, releaseId: release.id };
        // the interrupted deploy did land: what follows a success follows now
        if (release.id === plan.interrupted.releaseId)
          await deploymentSucceeded(tx, { releaseId: release.id, environmentId: plan.environment.id });
        result = {
          outcome: "recorded",
          reported: answer.version,
          message: `${where} reports ${answer.version}: recorded as what runs there`,
        };
      }
    }
    if (actor !== null || answer.ok)
      await audit(tx, actor, {
        action: "deployment.check",
        entityType: "Deployment",
        entityId: recorded?.deploymentId ?? plan.interrupted?.deploymentId ?? null,
        environmentId: plan.environment.id,
        before: plan.interrupted
          ? {
              state: "unknown",
              interruptedDeploymentId: plan.interrupted.deploymentId,
              version: plan.interrupted.version,
            }
          : { state: "known" },
        after: {
          application: plan.application.key,
          outcome: result.outcome,
          reported: result.reported,
          ...(answer.ok ? {} : { reason: answer.reason.slice(0, 500) }),
          ...(recorded ? { recordedDeploymentId: recorded.deploymentId, releaseId: recorded.releaseId } : {}),
        },
      });
    return result;
  });
}
