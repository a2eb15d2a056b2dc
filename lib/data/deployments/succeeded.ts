import "server-only";
import type { Tx } from "../context";
import { copyChecklist, nextEnvironmentId } from "../promotion/gate-facts";
import { autoPromote } from "../promotion/auto-promote";

/**
 * Everything that follows from a release running successfully in an environment, in the
 * transaction that records the success:
 *  - this environment's "while it runs here" checklist starts, and the next environment's
 *    pre-deployment checklist (the release is now its candidate);
 *  - where the next environment promotes automatically, the release is promoted there at once
 *    when every gate passes (audited as the system, its deploy job sent in this transaction).
 */
export async function deploymentSucceeded(tx: Tx, at: { releaseId: string; environmentId: string }): Promise<void> {
  await copyChecklist(tx, at.releaseId, at.environmentId);
  const next = await nextEnvironmentId(tx, at.environmentId);
  if (!next) return;
  await copyChecklist(tx, at.releaseId, next);
  await autoPromote(at.releaseId, next, { tx });
}
