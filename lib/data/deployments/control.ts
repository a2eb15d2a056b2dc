import "server-only";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { sendInTransaction } from "@/lib/queue/send";
import { audit } from "../audit/record";
import { transaction, type Sql, type Tx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { defineOperation, type OperationEnvironment } from "../operation";
import { lockApplicationEnvironment } from "../releases/lock";
import { sendMove } from "./move-job";
import { moveSql } from "./transition";

// A person's hands on a rollout under way: pause, resume, abort (roll back now), promote now
// (skip the remaining pauses), cancel a queued deployment. Each is one conditional UPDATE built
// from the state machine, audited in its transaction, and sends the job of the move that follows
// when one follows at once. A pause or an abort made while a provider call is in flight does not
// bump stepVersion: the call's result is recorded when it comes, then the pause or the rollback
// wins (lib/data/deployments/rollout.ts).

export const MAX_CONTROL_REASON = 500;
const reason = z.string().trim().max(MAX_CONTROL_REASON, `At most ${MAX_CONTROL_REASON} characters`);

const byDeployment = z.object({ deploymentId: z.guid("Not a deployment id"), reason: reason.optional() });
type ByDeployment = z.infer<typeof byDeployment>;

/** The environment a deployment runs in, for its authorization; 404 for an unknown id. */
export async function environmentOfDeployment(sql: Sql, deploymentId: string): Promise<OperationEnvironment> {
  const [environment] = await sql.$queryRaw<OperationEnvironment[]>`
    select e.id, e.name,
      json_build_object('required', e."requireSecondFactor", 'maxAgeMinutes', e."secondFactorMaxAgeMinutes") as "secondFactor"
    from "Deployment" d join "Environment" e on e.id = d."environmentId" where d.id = ${deploymentId}::uuid`;
  if (!environment) throw new NotFoundError("Deployment");
  return environment;
}

interface Locked {
  id: string;
  status: string;
  phase: string;
  inFlight: boolean;
  stepVersion: number;
  version: string;
  applicationId: string;
  environmentId: string;
  skipPauses: boolean;
}

async function lockDeployment(tx: Tx, deploymentId: string): Promise<Locked> {
  const [row] = await tx.$queryRaw<Locked[]>`
    select d.id, d.status::text as status, d.phase::text as phase, d."inFlight", d."stepVersion", r.version,
      d."applicationId", d."environmentId", d."skipPauses"
    from "Deployment" d join "Release" r on r.id = d."releaseId" where d.id = ${deploymentId}::uuid for update of d`;
  if (!row) throw new NotFoundError("Deployment");
  return row;
}

async function logLine(tx: Tx, deploymentId: string, line: string): Promise<void> {
  await tx.deploymentLogLine.create({ data: { deploymentId, stream: "SYSTEM", line } });
}

function who(actor: { kind: string; name?: string | null; email?: string }): string {
  if (actor.kind === "token") return `token ${actor.name ?? ""}`.trim();
  return actor.name ?? actor.email ?? "someone";
}

export interface ControlResult {
  deploymentId: string;
  status: string;
}

export const pauseDeployment = defineOperation({
  name: "deployment.pause",
  permission: "deploy.trigger",
  input: byDeployment,
  scope: "environment",
  environment: (input: ByDeployment, sql) => environmentOfDeployment(sql, input.deploymentId),
  async run({ actor, input, environment, ctx }): Promise<ControlResult> {
    return transaction(ctx, async (tx) => {
      const d = await lockDeployment(tx, input.deploymentId);
      if (d.status === "paused") throw new ConflictError(`The rollout of ${d.version} is already paused`);
      if (d.status !== "running" || d.phase === "rollback")
        throw new ConflictError(
          `The deployment of ${d.version} is ${d.status.replace("_", " ")}: only a running rollout can be paused`,
        );
      const pause = moveSql("pause");
      const why = input.reason || `paused by ${who(actor)}`;
      // between provider calls the waiting job is made stale; during one, its result is still recorded
      await tx.$executeRaw`update "Deployment" set status = ${pause.to}, "pauseReason" = ${why},
          "stepVersion" = "stepVersion" + ${d.inFlight ? 0 : 1}
        where id = ${d.id}::uuid and ${pause.allowed}`;
      await logLine(tx, d.id, `Paused by ${who(actor)}${input.reason ? `: ${input.reason}` : ""}`);
      await audit(tx, actor, {
        action: "deployment.pause",
        entityType: "Deployment",
        entityId: d.id,
        environmentId: environment.id,
        before: { status: d.status },
        after: { status: "paused", version: d.version, reason: input.reason ?? null },
      });
      return { deploymentId: d.id, status: "paused" };
    });
  },
});

export const resumeDeployment = defineOperation({
  name: "deployment.resume",
  permission: "deploy.trigger",
  input: byDeployment,
  scope: "environment",
  environment: (input: ByDeployment, sql) => environmentOfDeployment(sql, input.deploymentId),
  async run({ actor, input, environment, ctx }): Promise<ControlResult> {
    return transaction(ctx, async (tx) => {
      const d = await lockDeployment(tx, input.deploymentId);
      if (d.status !== "paused")
        throw new ConflictError(`The deployment of ${d.version} is ${d.status.replace("_", " ")}, not paused`);
      const resume = moveSql("resume");
      const version = d.stepVersion + (d.inFlight ? 0 : 1);
      await tx.$executeRaw`update "Deployment" set status = ${resume.to}, "pauseReason" = null, "stepVersion" = ${version},
          "healthState" = '{}'::jsonb
        where id = ${d.id}::uuid and ${resume.allowed}`;
      // a call still in flight carries on by itself when it returns
      if (!d.inFlight) await sendMove(tx, d.id, version);
      await logLine(tx, d.id, `Resumed by ${who(actor)}`);
      await audit(tx, actor, {
        action: "deployment.resume",
        entityType: "Deployment",
        entityId: d.id,
        environmentId: environment.id,
        before: { status: "paused" },
        after: { status: "running", version: d.version },
      });
      return { deploymentId: d.id, status: "running" };
    });
  },
});

export const abortDeployment = defineOperation({
  name: "deployment.abort",
  permission: "deploy.trigger",
  input: byDeployment,
  scope: "environment",
  environment: (input: ByDeployment, sql) => environmentOfDeployment(sql, input.deploymentId),
  async run({ actor, input, environment, ctx }): Promise<ControlResult> {
    return transaction(ctx, async (tx) => {
      const d = await lockDeployment(tx, input.deploymentId);
      if (d.status !== "running" && d.status !== "paused")
        throw new ConflictError(
          d.status === "queued"
            ? `${d.version} has not started yet: cancel it instead`
            : `The deployment of ${d.version} is ${d.status.replace("_", " ")}: only a running or paused rollout can be aborted`,
        );
      const why = `Aborted by ${who(actor)}${input.reason ? `: ${input.reason}` : ""}`;
      // no traffic moved yet (deploying, or smoke-checking the idle colour): it simply fails
      const untouched = (d.phase === "deploy" || d.phase === "smoke") && !d.inFlight;
      if (untouched) {
        const fail = moveSql("fail");
        await tx.$executeRaw`update "Deployment" set status = ${fail.to}, phase = 'done', "finishedAt" = now(),
            "failureReason" = ${why}, "stepVersion" = "stepVersion" + 1, "heartbeatAt" = null
          where id = ${d.id}::uuid and ${fail.allowed}`;
      } else {
        const rollback = moveSql("rollback");
        const version = d.stepVersion + (d.inFlight ? 0 : 1);
        await tx.$executeRaw`update "Deployment" set status = ${rollback.to}, phase = 'rollback', "failureReason" = ${why},
            "pauseReason" = null, "stepVersion" = ${version}
          where id = ${d.id}::uuid and ${rollback.allowed}`;
        // a call in flight hands over to the rollback when it returns
        if (!d.inFlight) await sendMove(tx, d.id, version);
      }
      await logLine(tx, d.id, why);
      await audit(tx, actor, {
        action: "deployment.abort",
        entityType: "Deployment",
        entityId: d.id,
        environmentId: environment.id,
        before: { status: d.status },
        after: {
          status: untouched ? "failed" : "rolling_back",
          version: d.version,
          reason: input.reason ?? null,
        },
      });
      if (untouched) await startNext(tx, d.applicationId, d.environmentId);
      return { deploymentId: d.id, status: untouched ? "failed" : "rolling_back" };
    });
  },
});

export const promoteNow = defineOperation({
  name: "deployment.promote_now",
  permission: "deploy.trigger",
  input: byDeployment,
  scope: "environment",
  environment: (input: ByDeployment, sql) => environmentOfDeployment(sql, input.deploymentId),
  async run({ actor, input, environment, ctx }): Promise<ControlResult> {
    return transaction(ctx, async (tx) => {
      const d = await lockDeployment(tx, input.deploymentId);
      if (d.status !== "running" && d.status !== "paused")
        throw new ConflictError(`The deployment of ${d.version} is ${d.status.replace("_", " ")}: nothing to promote`);
      if (d.phase === "rollback") throw new ConflictError(`The deployment of ${d.version} is rolling back`);
      // waiting between health rounds: the next round comes now, and the pauses end
      const wake = !d.inFlight && (d.phase === "analyse" || d.status === "paused");
      const version = d.stepVersion + (wake ? 1 : 0);
      const resume = d.status === "paused" ? moveSql("resume") : null;
      await tx.$executeRaw`update "Deployment" set "skipPauses" = true, "stepVersion" = ${version},
          ${resume ? Prisma.sql`status = ${resume.to}, "pauseReason" = null, "healthState" = '{}'::jsonb,` : Prisma.empty}
          "stepEndsAt" = case when phase = 'analyse' then now() else "stepEndsAt" end
        where id = ${d.id}::uuid`;
      if (wake) await sendMove(tx, d.id, version);
      await logLine(tx, d.id, `${who(actor)} skipped the remaining pauses`);
      await audit(tx, actor, {
        action: "deployment.promote_now",
        entityType: "Deployment",
        entityId: d.id,
        environmentId: environment.id,
        before: { status: d.status, skipPauses: d.skipPauses },
        after: { status: "running", version: d.version, skipPauses: true },
      });
      return { deploymentId: d.id, status: "running" };
    });
  },
});

export const cancelDeployment = defineOperation({
  name: "deployment.cancel",
  permission: "deploy.trigger",
  input: byDeployment,
  scope: "environment",
  environment: (input: ByDeployment, sql) => environmentOfDeployment(sql, input.deploymentId),
  async run({ actor, input, environment, ctx }): Promise<ControlResult> {
    return transaction(ctx, async (tx) => {
      const d = await lockDeployment(tx, input.deploymentId);
      if (d.status !== "queued")
        throw new ConflictError(
          `The deployment of ${d.version} is ${d.status.replace("_", " ")}: only a queued one can be cancelled`,
        );
      await cancelQueued(tx, d.id, `Cancelled by ${who(actor)}${input.reason ? `: ${input.reason}` : ""}`);
      await audit(tx, actor, {
        action: "deployment.cancel",
        entityType: "Deployment",
        entityId: d.id,
        environmentId: environment.id,
        before: { status: "queued" },
        after: { status: "cancelled", version: d.version, reason: input.reason ?? null },
      });
      await startNext(tx, d.applicationId, d.environmentId);
      return { deploymentId: d.id, status: "cancelled" };
    });
  },
});

/** queued → cancelled with its reason (no job runs it: the claim needs it queued). */
export async function cancelQueued(tx: Tx, deploymentId: string, why: string): Promise<boolean> {
  const cancel = moveSql("cancel");
  const n = await tx.$executeRaw`update "Deployment" set status = ${cancel.to}, phase = 'done', "finishedAt" = now(),
      "failureReason" = ${why.slice(0, 2000)}
    where id = ${deploymentId}::uuid and status = 'queued'`;
  if (n > 0) await logLine(tx, deploymentId, why);
  return n > 0;
}

/** When nothing holds the application × environment, the oldest waiting deployment gets its job. */
export async function startNext(tx: Tx, applicationId: string, environmentId: string): Promise<void> {
  const [next] = await tx.$queryRaw<{ id: string }[]>`
    select d.id from "Deployment" d where d."applicationId" = ${applicationId}::uuid
      and d."environmentId" = ${environmentId}::uuid and d.status = 'queued'
      and not exists (select 1 from "Deployment" o where o."applicationId" = d."applicationId"
        and o."environmentId" = d."environmentId" and o.status::text in ('running', 'paused', 'rolling_back'))
    order by d."queuedAt", d.id limit 1`;
  if (next) await sendInTransaction(tx, "deploy", { deploymentId: next.id }, { singletonKey: next.id });
}

// ─── rollback of an environment, and its hold ────────────────────────────────────────────────

/** An application by its key (the API's spelling) or its id (the pages'). */
const application = z.string().trim().min(1, "Name the application").max(100);

async function applicationOf(tx: Tx, keyOrId: string): Promise<{ id: string; key: string }> {
  const isId = z.guid().safeParse(keyOrId).success;
  const [row] = await tx.$queryRaw<{ id: string; key: string }[]>`
    select id, key from "Application" where ${isId ? Prisma.sql`id = ${keyOrId}::uuid` : Prisma.sql`key = ${keyOrId}`}`;
  if (!row) throw new NotFoundError(`Application "${keyOrId}"`);
  return row;
}

const rollbackInput = z.object({
  environmentKey: z.string().trim().min(1).max(100),
  application,
  reason: reason.min(3, "Say why you roll back (at least 3 characters)"),
});

export interface RollbackResult {
  deploymentId: string;
  version: string;
  from: string;
}

export const rollbackEnvironment = defineOperation({
  name: "deployment.rollback",
  permission: "deploy.rollback",
  input: rollbackInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }): Promise<RollbackResult> {
    const { createDeployment } = await import("./create");
    return transaction(ctx, async (tx) => {
      const app = await applicationOf(tx, input.application);
      await lockApplicationEnvironment(tx, app.id, environment.id);
      const successes = await tx.$queryRaw<{ id: string; releaseId: string; version: string; kind: string }[]>`
        select d.id, d."releaseId", r.version, d.kind::text as kind from "Deployment" d join "Release" r on r.id = d."releaseId"
        where d."applicationId" = ${app.id}::uuid and d."environmentId" = ${environment.id}::uuid
          and d.status = 'succeeded'
        order by d."finishedAt" desc nulls last, d."queuedAt" desc limit 20`;
      const current = successes[0];
      if (!current) throw new ConflictError(`Nothing runs in ${environment.name} yet: there is nothing to roll back`);
      const previous = successes.find((s) => s.releaseId !== current.releaseId);
      if (!previous)
        throw new ConflictError(
          `${current.version} is the only release that ran in ${environment.name}: there is nothing to roll back to`,
        );
      const [active] = await tx.$queryRaw<{ version: string; status: string }[]>`
        select r.version, d.status::text as status from "Deployment" d join "Release" r on r.id = d."releaseId"
        where d."applicationId" = ${app.id}::uuid and d."environmentId" = ${environment.id}::uuid
          and d.status::text in ('running', 'paused', 'rolling_back') limit 1`;
      if (active)
        throw new ConflictError(
          `${active.version} is being deployed to ${environment.name} (${active.status.replace("_", " ")}): abort that rollout to roll back`,
        );
      // promotions waiting to go out would undo the rollback: they are cancelled with the reason
      const waiting = await tx.$queryRaw<{ id: string }[]>`
        select id from "Deployment" where "applicationId" = ${app.id}::uuid
          and "environmentId" = ${environment.id}::uuid and status = 'queued'`;
      for (const w of waiting) await cancelQueued(tx, w.id, `Superseded by a rollback to ${previous.version}`);
      const [strategy] = await tx.$queryRaw<{ strategy: string }[]>`
        select strategy::text as strategy from "Deployment" where id = ${current.id}::uuid`;
      const deployment = await createDeployment(tx, {
        releaseId: previous.releaseId,
        applicationId: app.id,
        environmentId: environment.id,
        strategy: strategy?.strategy === "blue_green" || strategy?.strategy === "canary" ? strategy.strategy : "direct",
        triggeredBy: actor,
        queuedAt: new Date(),
        kind: "rollback",
        rollbackOfId: current.id,
      });
      await tx.$executeRaw`update "Deployment" set "failureReason" = ${input.reason} where id = ${deployment.id}::uuid`;
      await audit(tx, actor, {
        action: "deployment.rollback",
        entityType: "Deployment",
        entityId: deployment.id,
        environmentId: environment.id,
        before: { version: current.version, deploymentId: current.id },
        after: { version: previous.version, reason: input.reason, cancelled: waiting.length },
      });
      return { deploymentId: deployment.id, version: previous.version, from: current.version };
    });
  },
});

const holdInput = z.object({
  environmentKey: z.string().trim().min(1).max(100),
  application,
  reason: reason.optional(),
});

export const releaseHold = defineOperation({
  name: "environment.hold.release",
  permission: "deploy.trigger",
  input: holdInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }): Promise<{ released: true }> {
    return transaction(ctx, async (tx) => {
      const app = await applicationOf(tx, input.application);
      const [hold] = await tx.$queryRaw<{ id: string; version: string; application: string }[]>`
        delete from "EnvironmentHold" h using "Release" r, "Application" a
        where h."applicationId" = ${app.id}::uuid and h."environmentId" = ${environment.id}::uuid
          and r.id = h."releaseId" and a.id = h."applicationId"
        returning h.id, r.version, a.key as application`;
      if (!hold) throw new ConflictError(`Nothing is held in ${environment.name} for that application`);
      await audit(tx, actor, {
        action: "environment.hold.release",
        entityType: "Environment",
        entityId: environment.id,
        environmentId: environment.id,
        before: { application: hold.application, version: hold.version },
        after: { reason: input.reason ?? null },
      });
      return { released: true };
    });
  },
});
