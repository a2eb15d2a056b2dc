import "server-only";
import { sendInTransaction } from "@/lib/queue/send";
import { db } from "../../db";
import { audit } from "../audit/record";
import { moveSql } from "./transition";

export const INTERRUPTED =
  "Interrupted: the worker running this deploy stopped (Greenlight was restarted or crashed) before it finished. " +
  "It was not run again; check the environment, then promote again.";

/**
 * Fails running deployments whose worker stopped beating: a half-run deploy script is not known
 * to be safe to repeat, so it is never run again.
 */
export async function failInterrupted(staleSeconds: number): Promise<string[]> {
  const fail = moveSql("fail");
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; environmentId: string; worker: string | null }[]>`
      update "Deployment" set status = ${fail.to}, "finishedAt" = now(), "failureReason" = ${INTERRUPTED}, "heartbeatAt" = null
      where status = 'running' and ${fail.allowed}
        and coalesce("heartbeatAt", "startedAt", "queuedAt") < now() - make_interval(secs => ${staleSeconds})
      returning id, "environmentId", "workerId" as worker`;
    for (const row of rows) {
      await tx.deploymentLogLine.create({ data: { deploymentId: row.id, stream: "SYSTEM", line: INTERRUPTED } });
      await audit(tx, null, {
        action: "deployment.fail",
        entityType: "Deployment",
        entityId: row.id,
        environmentId: row.environmentId,
        before: { status: "running", worker: row.worker },
        after: { status: "failed", reason: INTERRUPTED },
      });
    }
    return rows.map((r) => r.id);
  });
}

/**
 * Sends the deploy job again for deployments queued longer than `afterSeconds` (their job was
 * lost: expired, or deleted by hand). A deployment whose job still waits gets no second one
 * (the queue's singleton key), and the claim keeps a double delivery to one run.
 */
export async function requeueWaiting(afterSeconds: number): Promise<string[]> {
  return db().$transaction(async (tx) => {
    const waiting = await tx.$queryRaw<{ id: string }[]>`
      select id from "Deployment" where status = 'queued'
        and "queuedAt" < now() - make_interval(secs => ${afterSeconds})
      order by "queuedAt" limit 100`;
    const sent: string[] = [];
    for (const { id } of waiting)
      if (await sendInTransaction(tx, "deploy", { deploymentId: id }, { singletonKey: id })) sent.push(id);
    return sent;
  });
}
