import "server-only";
import type { Tx } from "../context";
import { copyChecklist, nextEnvironmentId } from "../promotion/gate-facts";
import { autoPromote } from "../promotion/auto-promote";
import { releaseArrived } from "../notifications/emit";
import { releaseReachedTheEnd } from "../notifications/release-events";

/**
 * Everything that follows from a release running successfully in an environment, in the
 * transaction that records the success:
 *  - this environment's "while it runs here" checklist starts, and the next environment's
 *    pre-deployment checklist (the release is now its candidate);
 *  - where the next environment promotes automatically, the release is promoted there at once
 *    when every gate passes (audited as the system, its deploy job sent in this transaction);
 *  - otherwise the people it now waits for are notified, and at the last stage its author.
 */
export async function deploymentSucceeded(tx: Tx, at: { releaseId: string; environmentId: string }): Promise<void> {
  await copyChecklist(tx, at.releaseId, at.environmentId);
  const next = await nextEnvironmentId(tx, at.environmentId);
  if (!next) {
    await releaseReachedTheEnd(tx, at);
    return;
  }
  await copyChecklist(tx, at.releaseId, next);
  await autoPromote(at.releaseId, next, { tx });
  // where it was not promoted at once, it now waits for people: tell them
  await releaseArrived(tx, { releaseId: at.releaseId, environmentId: next });
}
