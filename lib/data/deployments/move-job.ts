import "server-only";
import { sendInTransaction } from "@/lib/queue/send";
import type { Tx } from "../context";

// Every job of a rollout's move is sent here, and the row records when that move is due
// (nextMoveAt), in the same transaction. The row, not pg-boss's table, is what says a rollout is
// stuck: a running or rolling-back deployment still at the same stepVersion well after its move
// was due lost its job (deleted, expired, failed, or fetched by a worker that died before its
// claim), and the reconciler sends it again (resendLostMoves, ./reconcile.ts).

/**
 * The longest a claimed move without a provider call may take (a health round is cut off then).
 * A claimed move that is still not recorded this long after its claim lost its worker.
 */
export const CLAIMED_MOVE_SECONDS = 120;

/** Sends the job of the move at `stepVersion`, due at `startAfter` (now when not given). */
export async function sendMove(tx: Tx, deploymentId: string, stepVersion: number, startAfter?: Date): Promise<void> {
  if (startAfter)
    await tx.$executeRaw`update "Deployment" set "nextMoveAt" = ${startAfter} where id = ${deploymentId}::uuid`;
  else await tx.$executeRaw`update "Deployment" set "nextMoveAt" = now() where id = ${deploymentId}::uuid`;
  await sendInTransaction(
    tx,
    "rollout",
    { deploymentId, stepVersion },
    { singletonKey: `${deploymentId}:${stepVersion}`, ...(startAfter ? { startAfter } : {}) },
  );
}
