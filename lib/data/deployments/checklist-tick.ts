import "server-only";
import { z } from "zod";
import {
  CHECKLIST_PHASE_LABELS,
  deploymentChecklistClosed,
  type DeploymentChecklistPhase,
} from "@/lib/domain/deployment-checklist";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-state";
import { planTick } from "@/lib/domain/checklist-tick";
import { audit } from "../audit/record";
import { transaction, type Tx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { fromSql } from "../enums";
import { defineOperation } from "../operation";
import { environmentOfDeployment } from "./control";

// Tick or untick one of a deployment's "during" or "after" checklist items (checklist.tick in
// the deployment's environment; someone who may not view it is told 404, like an unknown id).
// The item's row is locked, so two ticks at once end as one change and one audit row; ticking
// what is already ticked with the same note changes nothing and records nothing (the rules,
// shared with a release's checklist: lib/domain/checklist-tick.ts). Each change is
// audited and written to the deployment's log, which is its history and moves its live page.
// When an item may be ticked: lib/domain/deployment-checklist.ts (409 otherwise).

export const MAX_DEPLOYMENT_NOTE = 500;

const tickInput = z.object({
  deploymentId: z.guid("Not a deployment id"),
  itemId: z.guid("Not a checklist item id"),
  checked: z.boolean("Say whether the item is ticked"),
  note: z.string().trim().max(MAX_DEPLOYMENT_NOTE, `At most ${MAX_DEPLOYMENT_NOTE} characters`).optional(),
});

export interface DeploymentTickResult {
  deploymentId: string;
  itemId: string;
  phase: DeploymentChecklistPhase;
  label: string;
  checked: boolean;
  note: string | null;
  checkedAt: Date | null;
  /** false: it already was so, nothing was written */
  changed: boolean;
}

interface LockedItem {
  id: string;
  phase: DeploymentChecklistPhase;
  label: string;
  note: string | null;
  checkedAt: Date | null;
  status: string;
  version: string;
}

async function lockItem(tx: Tx, deploymentId: string, itemId: string): Promise<LockedItem | undefined> {
  const [row] = await tx.$queryRaw<LockedItem[]>`
    select i.id, i.phase::text as phase, i.label, i.note, i."checkedAt", d.status::text as status, r.version
    from "DeploymentChecklistItem" i
    join "Deployment" d on d.id = i."deploymentId"
    join "Release" r on r.id = d."releaseId"
    where i.id = ${itemId}::uuid and i."deploymentId" = ${deploymentId}::uuid
    for update of i`;
  return row;
}

function who(actor: { kind: string; name?: string | null; email?: string }): string {
  if (actor.kind === "token") return `token ${actor.name ?? ""}`.trim();
  return actor.name ?? actor.email ?? "someone";
}

export const tickDeploymentChecklistItem = defineOperation({
  name: "deployment.checklist.tick",
  permission: "checklist.tick",
  input: tickInput,
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => environmentOfDeployment(sql, input.deploymentId),
  run: ({ actor, input, environment, ctx }): Promise<DeploymentTickResult> =>
    transaction(ctx, async (tx) => {
      const item = await lockItem(tx, input.deploymentId, input.itemId);
      if (!item) throw new NotFoundError("Checklist item of this deployment");
      const closed = deploymentChecklistClosed(
        item.phase,
        fromSql(DEPLOYMENT_STATUSES, item.status, "deployment status"),
      );
      if (closed) throw new ConflictError(`“${item.label}” cannot be ticked or unticked now. ${closed}`);

      const plan = planTick(item, input, actor);
      const wasChecked = plan.wasChecked;
      const unchanged = {
        deploymentId: input.deploymentId,
        itemId: item.id,
        phase: item.phase,
        label: item.label,
        note: item.note,
        checkedAt: item.checkedAt,
      };
      if (!plan.changed) return { ...unchanged, checked: wasChecked, changed: false };
      const updated = await tx.deploymentChecklistItem.update({
        where: { id: item.id },
        data: plan.data,
        select: { checkedAt: true, note: true },
      });
      const phase = CHECKLIST_PHASE_LABELS[item.phase].toLowerCase();
      await tx.deploymentLogLine.create({
        data: {
          deploymentId: input.deploymentId,
          stream: "SYSTEM",
          line: `${plan.verb} “${item.label}” (${phase}) by ${who(actor)}${updated.note ? `: ${updated.note}` : ""}`.slice(
            0,
            4000,
          ),
        },
      });
      const facts = { label: item.label, phase: item.phase, deploymentId: input.deploymentId, version: item.version };
      await audit(tx, actor, {
        action: input.checked ? "deployment.checklist.tick" : "deployment.checklist.untick",
        entityType: "DeploymentChecklistItem",
        entityId: item.id,
        environmentId: environment.id,
        before: { checked: wasChecked, note: item.note, ...facts },
        after: { checked: input.checked, note: updated.note, ...facts },
      });
      return { ...unchanged, checked: input.checked, note: updated.note, checkedAt: updated.checkedAt, changed: true };
    }),
});
