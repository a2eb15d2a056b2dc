import "server-only";
import type { Tx } from "../context";
import { candidateEnvironment, gatesChanged } from "../notifications/emit";
import { autoPromote } from "./auto-promote";

/**
 * After anything that may open a gate of a release (an approval, a rejection withdrawn, a tick,
 * a CI check), in the transaction of that change: where the release is the candidate of a stage
 * that promotes automatically and every gate now passes, it is promoted at once (or, held by
 * time alone, gets its job for the moment that passes); otherwise the people it may now wait for
 * are told. `environmentId` defaults to where the release goes next. Returns the deployment made.
 */
export async function gatesMayHaveOpened(
  tx: Tx,
  at: { releaseId: string; environmentId?: string },
): Promise<string | null> {
  const environmentId = at.environmentId ?? (await candidateEnvironment(tx, at.releaseId));
  if (!environmentId) return null;
  const deployed = await autoPromote(at.releaseId, environmentId, { tx });
  if (!deployed) await gatesChanged(tx, { releaseId: at.releaseId, environmentId });
  return deployed;
}
