import "server-only";
import type { Tx } from "../context";
import { emitNotification } from "./emit";

// A deployment that went wrong, or stopped for a decision, is news for whoever started it and
// for the people who may deploy or roll back there. Written in the transaction that moved it.

export type DeploymentNews = "deployment.failed" | "deployment.rolled_back" | "deployment.paused";

const HEADLINE: Record<DeploymentNews, string> = {
  "deployment.failed": "failed in",
  "deployment.rolled_back": "was rolled back in",
  "deployment.paused": "paused for a decision in",
};

export async function deploymentNews(
  tx: Tx,
  kind: DeploymentNews,
  at: {
    deploymentId: string;
    applicationId: string;
    applicationKey: string;
    environmentId: string;
    environmentName: string;
    releaseId: string;
    version: string;
    reason: string | null;
  },
): Promise<void> {
  // who started it: the person, or the owner of the token that did
  const [who] = await tx.$queryRaw<{ userId: string | null }[]>`
    select coalesce(d."triggeredById", t."ownerId") as "userId" from "Deployment" d
    left join "ApiToken" t on t.id = d."triggeredByTokenId" where d.id = ${at.deploymentId}::uuid`;
  // a deployment pauses more than once (each inconclusive round): each pause is its own news
  const key = kind === "deployment.paused" ? `${kind}:${at.deploymentId}:${Date.now()}` : `${kind}:${at.deploymentId}`;
  await emitNotification(tx, {
    kind,
    key,
    environmentId: at.environmentId,
    applicationId: at.applicationId,
    releaseId: at.releaseId,
    deploymentId: at.deploymentId,
    subjectUserId: who?.userId ?? null,
    title: `${at.applicationKey} ${at.version} ${HEADLINE[kind]} ${at.environmentName}`,
    body: at.reason ?? `${at.applicationKey} ${at.version} ${HEADLINE[kind]} ${at.environmentName}.`,
    path: `/deployments/${at.deploymentId}`,
    data: {
      application: at.applicationKey,
      version: at.version,
      environment: at.environmentName,
      ...(at.reason ? { reason: at.reason } : {}),
    },
  });
}
