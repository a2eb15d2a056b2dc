import "server-only";
import type { Tx } from "../context";
import { releaseArrived } from "./emit";

/**
 * Announces what waits right now, as if each candidate had just arrived: for a history loaded
 * at once (a preset), whose releases never "arrived" one by one, so the people it waits for
 * find it in their inbox on the first sign-in. A candidate is an application's newest release
 * that succeeded in a stage and has no deployment in the next one yet.
 */
export async function announceWhatWaits(tx: Tx): Promise<number> {
  const candidates = await tx.$queryRaw<{ releaseId: string; environmentId: string }[]>`
    select distinct on (d."applicationId", n.id) d."releaseId", n.id as "environmentId"
    from "Deployment" d
    join "Environment" p on p.id = d."environmentId"
    join lateral (select e.id from "Environment" e where e.position > p.position order by e.position limit 1) n on true
    where d.status = 'succeeded' and d.kind = 'promotion'
      and not exists (select 1 from "Deployment" x where x."releaseId" = d."releaseId" and x."environmentId" = n.id)
    order by d."applicationId", n.id, d."finishedAt" desc nulls last`;
  for (const candidate of candidates) await releaseArrived(tx, candidate);
  return candidates.length;
}
