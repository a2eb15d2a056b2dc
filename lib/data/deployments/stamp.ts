import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { CHECKLIST_LIVE_HOURS } from "@/lib/domain/deployment-checklist";
import { isActiveStatus, isDeploymentStatus } from "@/lib/domain/deployment-state";
import { db } from "../../db";
import { NotFoundError } from "../errors";
import { defineOperation } from "../operation";

// What an open deployment page polls: a short fingerprint of everything the page shows of one
// deployment, and whether it can still change. Cheaper than the page's read (no log, no
// measurements, only their newest ids) and narrower than the app-wide stamp (lib/data/live.ts),
// which a health round does not move: a round bumps stepVersion and adds measurements without
// an audit row or a log line. One statement of primary-key and index probes.

export interface DeploymentStamp {
  stamp: string;
  /** nothing will move any more (ended, and no checklist item left to tick): the page may stop asking */
  final: boolean;
}

interface Row {
  environmentId: string;
  status: string;
  checklistOpen: boolean;
  stamp: string;
}

async function readStamp(actor: Actor, deploymentId: string): Promise<DeploymentStamp> {
  const [row] = await db().$queryRaw<Row[]>`
    select d."environmentId", d.status::text as status,
      -- an item still to tick keeps a recently finished deployment's page live (its "after" list),
      -- as checklistKeepsLive (lib/domain/deployment-checklist.ts) says
      d.status <> 'cancelled' and coalesce(d."finishedAt" > now() - make_interval(hours => ${CHECKLIST_LIVE_HOURS}), true)
        and exists (select 1 from "DeploymentChecklistItem" i
          where i."deploymentId" = d.id and i."checkedAt" is null) as "checklistOpen",
      left(md5(concat_ws('|', d.status, d.phase, d."stepVersion", d."currentStep", d."trafficPercent", d."skipPauses",
        d."pauseReason", d."failureReason", d."finishedAt",
        (select max(id) from "DeploymentLogLine" where "deploymentId" = d.id),
        (select max(id) from "HealthMeasurement" where "deploymentId" = d.id),
        (select string_agg(concat_ws(':', s.id, s.status, s."finishedAt", s.message), ',' order by s.id)
          from "DeploymentStep" s where s."deploymentId" = d.id),
        (select string_agg(concat_ws(':', i.id, i."checkedAt", i."checkedById", i.note), ',' order by i.id)
          from "DeploymentChecklistItem" i where i."deploymentId" = d.id),
        -- a queued deployment moves up when one ahead of it leaves the queue
        case when d.status = 'queued' then (select count(*) from "Deployment" q
          where q."applicationId" = d."applicationId" and q."environmentId" = d."environmentId"
            and q.status in ('queued', 'running', 'paused', 'rolling_back')) end
      )), 16) as stamp
    from "Deployment" d where d.id = ${deploymentId}::uuid`;
  if (!row || !can(actor, "environment.view", row.environmentId)) throw new NotFoundError("Deployment");
  return {
    stamp: row.stamp,
    final: isDeploymentStatus(row.status) && !isActiveStatus(row.status) && !row.checklistOpen,
  };
}

const stampRead = defineOperation({
  name: "deployment.stamp",
  scope: "visible",
  effect: "read",
  input: z.object({ deploymentId: z.string().max(100) }),
  run: ({ actor, input }) => {
    // an id that is no UUID names no deployment (and PostgreSQL would refuse the cast)
    if (!z.guid().safeParse(input.deploymentId).success) throw new NotFoundError("Deployment");
    return readStamp(actor, input.deploymentId);
  },
});

/** The fingerprint of one deployment as its page shows it. Hidden environment or unknown id → NotFoundError. */
export function deploymentStamp(actor: Actor, deploymentId: string): Promise<DeploymentStamp> {
  return stampRead(actor, { deploymentId });
}
