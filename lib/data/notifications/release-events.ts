import "server-only";
import type { Tx } from "../context";
import { emitNotification } from "./emit";

/**
 * A release succeeded in the last stage of the pipeline (production, in most teams): its author
 * hears it (the token's owner when CI created it). Once per release × environment.
 */
export async function releaseReachedTheEnd(tx: Tx, at: { releaseId: string; environmentId: string }): Promise<void> {
  const [row] = await tx.$queryRaw<
    {
      applicationId: string;
      applicationKey: string;
      version: string;
      environmentName: string;
      authorId: string | null;
    }[]
  >`
    select r."applicationId", a.key as "applicationKey", r.version, e.name as "environmentName",
      coalesce(r."createdById", t."ownerId") as "authorId"
    from "Release" r join "Application" a on a.id = r."applicationId"
    join "Environment" e on e.id = ${at.environmentId}::uuid
    left join "ApiToken" t on t.id = r."createdByTokenId"
    where r.id = ${at.releaseId}::uuid`;
  if (!row?.authorId) return;
  await emitNotification(tx, {
    kind: "release.production",
    key: `release.production:${at.releaseId}:${at.environmentId}`,
    environmentId: at.environmentId,
    applicationId: row.applicationId,
    releaseId: at.releaseId,
    subjectUserId: row.authorId,
    title: `${row.applicationKey} ${row.version} reached ${row.environmentName}`,
    body: `${row.applicationKey} ${row.version} now runs in ${row.environmentName}, the last stage of the pipeline.`,
    path: `/releases/${at.releaseId}`,
    data: { application: row.applicationKey, version: row.version, environment: row.environmentName },
  });
}
