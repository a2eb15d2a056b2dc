import "server-only";
import { sendInTransaction } from "@/lib/queue/send";
import { db } from "../../db";
import { sendMove } from "./move-job";

const UNKNOWN_UNTIL = "What runs in the environment is unknown until the next deploy or a version check confirms it.";

export const INTERRUPTED =
  "Interrupted: the worker running this deploy stopped (Greenlight was restarted or crashed) before it finished. " +
  `It was not run again. ${UNKNOWN_UNTIL}`;

/** Why a deploy cut off by a stop (SIGTERM) failed: it outlasted the `waitedSeconds` it was given. */
export function interruptedByShutdown(waitedSeconds: number): string {
  return (
    `Interrupted: Greenlight was stopped and this deploy did not finish within the ${waitedSeconds} s it waited ` +
    `for it (GREENLIGHT_SHUTDOWN_GRACE_SECONDS), so its process was stopped. ${UNKNOWN_UNTIL}`
  );
}

/**
 * Sends the deploy job again for deployments queued longer than `afterSeconds` (their job was
 * lost: expired, or deleted by hand). A deployment whose job still waits gets no second one
 * (the queue's singleton key), and the claim keeps a double delivery to one run.
 */
export async function requeueWaiting(afterSeconds: number): Promise<string[]> {
  return db().$transaction(async (tx) => {
    const waiting = await tx.$queryRaw<{ id: string }[]>`
      select d.id from "Deployment" d where d.status = 'queued'
        and d."queuedAt" < now() - make_interval(secs => ${afterSeconds})
        -- waiting its turn behind another deployment is not a lost job
        and not exists (select 1 from "Deployment" o where o."applicationId" = d."applicationId"
          and o."environmentId" = d."environmentId" and o.status::text in ('running', 'paused', 'rolling_back'))
        and not exists (select 1 from "Deployment" o where o."applicationId" = d."applicationId"
          and o."environmentId" = d."environmentId" and o.status = 'queued'
          and (o."queuedAt", o.id) < (d."queuedAt", d.id))
      order by d."queuedAt" limit 100`;
    const sent: string[] = [];
    for (const { id } of waiting)
      if (await sendInTransaction(tx, "deploy", { deploymentId: id }, { singletonKey: id })) sent.push(id);
    return sent;
  });
}

/**
 * Sends the job of the recorded move again for rollouts nobody drives: running or rolling back,
 * no provider call in flight (a stale one is staleCalls'), and still at the move that was due
 * (nextMoveAt) more than `graceSeconds` ago. Its job was lost: deleted, expired, failed, or
 * fetched by a worker that died before claiming it; or a claimed health round or deadline check
 * whose worker died (the claim set nextMoveAt to when it should be over). A job that is merely
 * late gets a twin that finds the version moved and does nothing.
 *
 * Why the row and not pg-boss's table: the row is where the rollout's state lives, it is written
 * in the same transaction as every move, and it says when the move was due, which a job row that
 * pg-boss has archived, deleted or left active under a dead worker cannot. pg-boss's tables are
 * its own and change between majors.
 *
 * One UPDATE marks the rows and the jobs go out in its transaction: a second reconciler at the
 * same time waits for those row locks, then re-reads nextMoveAt (now fresh) and skips them, so
 * each lost move is sent once.
 */
export async function resendLostMoves(graceSeconds: number): Promise<string[]> {
  return db().$transaction(async (tx) => {
    const lost = await tx.$queryRaw<{ id: string; stepVersion: number }[]>`
      update "Deployment" set "nextMoveAt" = now()
      where status in ('running', 'rolling_back') and not "inFlight"
        and "nextMoveAt" < now() - make_interval(secs => ${graceSeconds})
      returning id, "stepVersion"`;
    for (const d of lost) {
      await sendMove(tx, d.id, d.stepVersion);
      await tx.deploymentLogLine.create({
        data: {
          deploymentId: d.id,
          stream: "SYSTEM",
          line: `Nothing drove this rollout for more than ${graceSeconds} s after its next move was due: the move is sent again`,
        },
      });
    }
    return lost.map((d) => d.id);
  });
}
