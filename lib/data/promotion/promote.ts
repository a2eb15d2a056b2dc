import "server-only";
import { z } from "zod";
import { can } from "@/lib/domain/access";
import { isActiveStatus } from "@/lib/domain/deployment-state";
import { evaluateGates, failingGates, GATE_LABELS, onlyFreezeFails, type Gate } from "@/lib/domain/gates";
import { audit } from "../audit/record";
import { transaction } from "../context";
import { createDeployment } from "../deployments/create";
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
  },
});
