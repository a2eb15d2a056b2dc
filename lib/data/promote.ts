import "server-only";
import { z } from "zod";
import { can } from "@/lib/domain/access";
import { evaluateGates, failingGates, GATE_LABELS, onlyFreezeFails, type Gate } from "@/lib/domain/gates";
import { db } from "../db";
import { audit } from "./audit";
import { ConflictError, ForbiddenError, NotFoundError } from "./errors";
import { environmentByKey } from "./flags";
import { gateInput, readGateFacts } from "./gate-facts";
import { defineOperation } from "./operation";
import { lockApplicationEnvironment, lockRelease } from "./release-lock";

// Promote a release into an environment: the server decides again, whatever the page showed.
// Inside one transaction it locks the release (no decision can change underneath) and the
// application × environment (one deploy at a time there), reads the facts, evaluates the gates
// and creates the queued Deployment with its audit row. Twenty concurrent clicks therefore make
// one deployment; the other nineteen find it and get a 409 that says so. The deploy job is
// enqueued after commit; should that fail, the reconciler enqueues queued deployments again.

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
  environment: (input) => environmentByKey(input.environmentKey),
  async run(actor, input, env): Promise<PromoteResult> {
    const environment = env!;
    const now = new Date();
    const result = await db().$transaction(async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      await lockApplicationEnvironment(tx, release.applicationId, environment.id);
      const facts = await readGateFacts(tx, release.id, environment.id);
      if (!facts) throw new NotFoundError("Release");
      const { version } = facts.release;

      if (facts.latest && (facts.latest.status === "queued" || facts.latest.status === "running"))
        throw new ConflictError(`${version} is already being deployed to ${environment.name} (${facts.latest.status})`);
      if (facts.latest?.status === "succeeded")
        throw new ConflictError(`${version} is already deployed to ${environment.name}`);
      if (facts.busy)
        throw new ConflictError(
          `${facts.busy.version} is being deployed to ${environment.name} (${facts.busy.status}); wait for it to finish`,
        );

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

      const deployment = await tx.deployment.create({
        data: {
          releaseId: release.id,
          applicationId: release.applicationId,
          environmentId: environment.id,
          status: "QUEUED",
          strategy: facts.environment.rolloutStrategy.toUpperCase() as "DIRECT" | "BLUE_GREEN" | "CANARY",
          overrideReason: overridden ? reason : null,
          triggeredById: actor.kind === "user" ? actor.id : null,
          triggeredByTokenId: actor.kind === "token" ? actor.id : null,
          queuedAt: now,
        },
        select: { id: true },
      });
      const after = {
        deploymentId: deployment.id,
        application: facts.release.applicationKey,
        version,
        environment: environment.name,
        gates: gates.map((g) => ({ key: g.key, passed: g.passed, detail: g.detail })),
        overrideReason: overridden ? reason : null,
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
      return { deploymentId: deployment.id, environmentKey: facts.environment.key, version, overridden };
    });
    await enqueueAfterCommit(result.deploymentId);
    return result;
  },
});

/**
 * Auto-promotion: when a release becomes the candidate of an environment that promotes
 * automatically (it was created, or the stage before succeeded), Greenlight promotes it itself
 * if every gate passes at that moment — the same transaction, locks and gates as a person's
 * promotion, audited as the system. A gate that fails (a soak time, an approval) leaves it
 * waiting for a person. Returns the deployment id, or null when nothing was promoted.
 */
export async function autoPromote(releaseId: string, environmentId: string): Promise<string | null> {
  const now = new Date();
  const deploymentId = await db().$transaction(async (tx) => {
    const environment = await tx.environment.findUnique({
      where: { id: environmentId },
      select: { autoPromote: true },
    });
    if (!environment?.autoPromote) return null;
    const release = await lockRelease(tx, releaseId);
    await lockApplicationEnvironment(tx, release.applicationId, environmentId);
    const facts = await readGateFacts(tx, release.id, environmentId);
    if (!facts || facts.latest || facts.busy) return null;
    const gates = evaluateGates(gateInput(facts, now));
    if (failingGates(gates).length > 0) return null;
    const deployment = await tx.deployment.create({
      data: {
        releaseId: release.id,
        applicationId: release.applicationId,
        environmentId,
        status: "QUEUED",
        strategy: facts.environment.rolloutStrategy.toUpperCase() as "DIRECT" | "BLUE_GREEN" | "CANARY",
        queuedAt: now,
      },
      select: { id: true },
    });
    await audit(tx, null, {
      action: "deployment.auto_promote",
      entityType: "Deployment",
      entityId: deployment.id,
      environmentId,
      after: {
        deploymentId: deployment.id,
        application: facts.release.applicationKey,
        version: facts.release.version,
        environment: facts.environment.name,
        gates: gates.map((g) => ({ key: g.key, passed: g.passed, detail: g.detail })),
      },
    });
    return deployment.id;
  });
  if (deploymentId) await enqueueAfterCommit(deploymentId);
  return deploymentId;
}

async function enqueueAfterCommit(deploymentId: string) {
  try {
    const { enqueueDeploy } = await import("../jobs/deploy-queue");
    await enqueueDeploy(deploymentId);
  } catch (e) {
    // the deployment is committed and queued; the reconciler enqueues it again shortly
    console.error(`deployment ${deploymentId}: enqueue failed, the reconciler will retry: ${(e as Error).message}`);
  }
}
