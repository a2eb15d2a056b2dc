import "server-only";
import { emitNotification } from "../notifications/emit";
import { z } from "zod";
import { actorLabel, can } from "@/lib/domain/access";
import { isActiveStatus } from "@/lib/domain/deployment-state";
import { evaluateGates, failingGates, GATE_LABELS, onlyFreezeFails, type Gate } from "@/lib/domain/gates";
import { audit } from "../audit/record";
import { transaction, type Tx } from "../context";
import { createDeployment } from "../deployments/create";
import { cancelQueued } from "../deployments/control";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { gateInput, readGateFacts } from "./gate-facts";
import { defineOperation } from "../operation";
import { lockApplicationEnvironment, lockRelease } from "../releases/lock";

// Promote a release into an environment: the server decides again, whatever the page showed.
// Inside one transaction it locks the release (no decision can change underneath) and the
// application × environment (one deploy at a time there), reads the facts, evaluates the gates
// and creates the queued Deployment with its audit row. Twenty concurrent clicks therefore make
// one deployment; the other nineteen find it and get a 409 that says so. The deploy job is sent
// in the same transaction, so a committed deployment always has its job.

export const MAX_OVERRIDE_REASON = 500;

export const promoteInput = z.object({
  releaseId: z.guid("Not a release id"),
  environmentKey: z.string().trim().min(1).max(100),
  /** promote inside a freeze window (environment.manage only) and say why */
  overrideReason: z.string().trim().max(MAX_OVERRIDE_REASON, `At most ${MAX_OVERRIDE_REASON} characters`).optional(),
});

export interface PromoteResult {
  deploymentId: string;
  environmentKey: string;
  version: string;
  overridden: boolean;
  /** it waits behind another deployment of the application there */
  queued: boolean;
}

export function describeFailing(gates: readonly Gate[]): string {
  return failingGates(gates)
    .map((g) => `${GATE_LABELS[g.key]}: ${g.detail}`)
    .join("; ");
}

export const promoteRelease = defineOperation({
  name: "deployment.promote",
  permission: "deploy.trigger",
  input: promoteInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }): Promise<PromoteResult> {
    const now = new Date();
    return transaction(ctx, async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      await lockApplicationEnvironment(tx, release.applicationId, environment.id);
      const facts = await readGateFacts(tx, release.id, environment.id);
      if (!facts) throw new NotFoundError("Release");
      const { version } = facts.release;

      if (facts.latest && isActiveStatus(facts.latest.status))
        throw new ConflictError(`${version} is already being deployed to ${environment.name} (${facts.latest.status})`);
      if (facts.latest?.status === "succeeded")
        throw new ConflictError(`${version} is already deployed to ${environment.name}`);
      // another release holds the application here: the environment's queue policy decides
      const superseded = facts.busy
        ? await makeRoom(tx, { applicationId: release.applicationId, environment, version })
        : [];

      const gates = evaluateGates(gateInput(facts, now));
      const failing = failingGates(gates);
      const reason = input.overrideReason || null;
      let overridden = false;
      if (failing.length > 0) {
        const mayOverride = can(actor, "environment.manage", environment.id);
        if (!onlyFreezeFails(gates) || !reason)
          throw new ConflictError(
            `${version} cannot be promoted to ${environment.name}: ${describeFailing(gates)}` +
              (onlyFreezeFails(gates) && mayOverride ? ". To promote anyway, give a reason for the override" : ""),
          );
        if (!mayOverride)
          throw new ForbiddenError(`Only people who manage ${environment.name} may promote during a freeze`);
        overridden = true;
      }

      const deployment = await createDeployment(tx, {
        releaseId: release.id,
        applicationId: release.applicationId,
        environmentId: environment.id,
        strategy: facts.environment.rolloutStrategy,
        overrideReason: overridden ? reason : null,
        triggeredBy: actor,
        queuedAt: now,
      });
      const after = {
        deploymentId: deployment.id,
        application: facts.release.applicationKey,
        version,
        environment: environment.name,
        gates: gates.map((g) => ({ key: g.key, passed: g.passed, detail: g.detail })),
        overrideReason: overridden ? reason : null,
        ...(deployment.waiting ? { queued: true } : {}),
        ...(superseded.length ? { superseded } : {}),
      };
      await audit(tx, actor, {
        action: "deployment.promote",
        entityType: "Deployment",
        entityId: deployment.id,
        environmentId: environment.id,
        after,
      });
      if (overridden)
        await audit(tx, actor, {
          action: "freeze.override",
          entityType: "Deployment",
          entityId: deployment.id,
          environmentId: environment.id,
          after: { reason, freeze: failing.map((g) => g.detail).join("; "), version },
        });
      if (overridden)
        await emitNotification(tx, {
          kind: "freeze.override",
          key: `freeze.override:${deployment.id}`,
          environmentId: environment.id,
          applicationId: release.applicationId,
          releaseId: release.id,
          deploymentId: deployment.id,
          subjectUserId: actor.kind === "user" ? actor.id : actor.owner.id,
          title: `${actorLabel(actor)} promoted ${facts.release.applicationKey} ${version} to ${environment.name} during a freeze`,
          body: `Reason given: ${reason ?? ""}`,
          path: `/deployments/${deployment.id}`,
          data: { application: facts.release.applicationKey, version, environment: environment.name, reason },
        });
      for (const id of superseded)
        await audit(tx, actor, {
          action: "deployment.cancel",
          entityType: "Deployment",
          entityId: id,
          environmentId: environment.id,
          before: { status: "queued" },
          after: { status: "cancelled", reason: `superseded by ${version}` },
        });
      return {
        deploymentId: deployment.id,
        environmentKey: facts.environment.key,
        version,
        overridden,
        queued: deployment.waiting,
      };
    });
  },
});

/**
 * A promotion arriving while another deployment holds the application in the environment: the
 * environment's queue policy refuses it (409), cancels the waiting ones (newest wins), or lets it
 * wait its turn. Returns the deployments it cancelled.
 */
export async function makeRoom(
  tx: Tx,
  at: { applicationId: string; environment: { id: string; name: string }; version: string },
): Promise<string[]> {
  const { deployQueuePolicy } = await tx.environment.findUniqueOrThrow({
    where: { id: at.environment.id },
    select: { deployQueuePolicy: true },
  });
  if (deployQueuePolicy === "REFUSE")
    throw new ConflictError(
      `Another deployment is under way in ${at.environment.name}; ${at.environment.name} takes one promotion at a time: wait for it to finish`,
    );
  if (deployQueuePolicy !== "REPLACE") return [];
  // the waiting ones: every queued one behind an active deployment, else all but the head of
  // the line (its job is sent: it may start any moment)
  const waiting = await tx.$queryRaw<{ id: string }[]>`
    select id from "Deployment" d where "applicationId" = ${at.applicationId}::uuid
      and "environmentId" = ${at.environment.id}::uuid and status = 'queued'
      and (exists (select 1 from "Deployment" o where o."applicationId" = d."applicationId"
            and o."environmentId" = d."environmentId" and o.status::text in ('running', 'paused', 'rolling_back'))
        or exists (select 1 from "Deployment" o where o."applicationId" = d."applicationId"
            and o."environmentId" = d."environmentId" and o.status = 'queued'
            and (o."queuedAt", o.id) < (d."queuedAt", d.id)))`;
  const cancelled: string[] = [];
  for (const w of waiting)
    if (
      await cancelQueued(tx, w.id, `Superseded by ${at.version}: in ${at.environment.name} the newest promotion wins`)
    )
      cancelled.push(w.id);
  return cancelled;
}
