import "server-only";
import { branchAllowed } from "@/lib/domain/branches";
import { evaluateGates, failingGates } from "@/lib/domain/gates";
import { audit } from "../audit/record";
import { transaction, type Context } from "../context";
import { createDeployment } from "../deployments/create";
import { lockApplicationEnvironment, lockRelease } from "../releases/lock";
import { gateInput, readGateFacts } from "./gate-facts";
import { makeRoom } from "./promote";
import { ConflictError } from "../errors";

/**
 * Auto-promotion: when a release becomes the candidate of an environment that promotes
 * automatically (it was created, or the stage before succeeded), Greenlight promotes it itself
 * if every gate passes at that moment — the same transaction, locks and gates as a person's
 * promotion, audited as the system. A gate that fails (a soak time, an approval) leaves it
 * waiting for a person. Where the environment names branches to promote automatically
 * (autoPromoteBranches), only releases built from a matching branch are; the others wait for a
 * person too (and the branch rule gate still applies to both). Returns the deployment id, or
 * null when nothing was promoted.
 */
export async function autoPromote(releaseId: string, environmentId: string, ctx: Context = {}): Promise<string | null> {
  const now = new Date();
  return transaction(ctx, async (tx) => {
    const environment = await tx.environment.findUnique({
      where: { id: environmentId },
      select: { autoPromote: true, autoPromoteBranches: true },
    });
    if (!environment?.autoPromote) return null;
    const release = await lockRelease(tx, releaseId);
    if (environment.autoPromoteBranches.length > 0) {
      const { branch } = await tx.release.findUniqueOrThrow({ where: { id: release.id }, select: { branch: true } });
      if (!branchAllowed(environment.autoPromoteBranches, branch)) return null;
    }
    await lockApplicationEnvironment(tx, release.applicationId, environmentId);
    const facts = await readGateFacts(tx, release.id, environmentId);
    if (!facts || facts.latest) return null;
    // after a rollback the application holds its version here until someone releases the hold
    const held = await tx.environmentHold.findUnique({
      where: { applicationId_environmentId: { applicationId: release.applicationId, environmentId } },
      select: { id: true },
    });
    if (held) return null;
    const gates = evaluateGates(gateInput(facts, now));
    if (failingGates(gates).length > 0) return null;
    // behind another deployment there, the queue policy decides (a refusing environment: a person later)
    let superseded: string[] = [];
    if (facts.busy) {
      try {
        superseded = await makeRoom(tx, {
          applicationId: release.applicationId,
          environment: { id: environmentId, name: facts.environment.name },
          version: facts.release.version,
        });
      } catch (e) {
        if (e instanceof ConflictError) return null;
        throw e;
      }
    }
    const deployment = await createDeployment(tx, {
      releaseId: release.id,
      applicationId: release.applicationId,
      environmentId,
      strategy: facts.environment.rolloutStrategy,
      triggeredBy: null,
      queuedAt: now,
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
        ...(deployment.waiting ? { queued: true } : {}),
      },
    });
    for (const id of superseded)
      await audit(tx, null, {
        action: "deployment.cancel",
        entityType: "Deployment",
        entityId: id,
        environmentId,
        before: { status: "queued" },
        after: { status: "cancelled", reason: `superseded by ${facts.release.version}` },
      });
    return deployment.id;
  });
}
