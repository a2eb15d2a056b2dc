import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { copyChecklist } from "./gate-facts";
import { gatesMayHaveOpened } from "./reevaluate";
import { defineOperation } from "../operation";
import { lockRelease } from "../releases/lock";
import { planTick } from "@/lib/domain/checklist-tick";

// Tick or untick one item of a release's checklist in an environment (checklist.tick there).
// The release's copy of the template is made at the first tick if it does not exist yet, so an
// item may be addressed by its own id or by its template item's id. Ticking what is already
// ticked (with the same note) changes nothing and writes no audit row: a double click is safe
// (the rules, shared with a deployment's checklist: lib/domain/checklist-tick.ts).
// Ticks stay possible during and after a deploy: templates hold during- and post-deploy items.
// An item a CI check ticks (checkName) may still be ticked by hand unless it is CI-only (409):
// the check's next report wins either way (lib/data/checks/checklist.ts).

export const MAX_NOTE = 500;

export const tickChecklistItem = defineOperation({
  name: "checklist.item.tick",
  permission: "checklist.tick",
  input: z.object({
    releaseId: z.guid("Not a release id"),
    environmentKey: z.string().trim().min(1).max(100),
    itemId: z.guid("Not a checklist item id"),
    checked: z.boolean(),
    note: z.string().trim().max(MAX_NOTE, `At most ${MAX_NOTE} characters`).optional(),
  }),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }) {
    return transaction(ctx, async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      await copyChecklist(tx, release.id, environment.id);
      const item = await tx.checklistItem.findFirst({
        where: {
          releaseId: release.id,
          environmentId: environment.id,
          OR: [{ id: input.itemId }, { templateItemId: input.itemId }],
        },
        select: {
          id: true,
          label: true,
          checkedAt: true,
          checkedById: true,
          note: true,
          checkName: true,
          ciOnly: true,
        },
      });
      if (!item) throw new NotFoundError(`Checklist item in ${environment.name}`);
      if (item.ciOnly)
        throw new ConflictError(
          `“${item.label}” is ticked by the CI check ${item.checkName ?? "that names it"} only: it is ticked when the check passes and unticked when it fails`,
        );

      const plan = planTick(item, input, actor);
      const wasChecked = plan.wasChecked;
      const before = { checked: wasChecked, note: item.note };
      if (!plan.changed)
        return { itemId: item.id, checked: wasChecked, note: item.note, checkedAt: item.checkedAt, changed: false };
      const updated = await tx.checklistItem.update({
        where: { id: item.id },
        data: plan.data,
        select: { checkedAt: true, note: true },
      });
      await audit(tx, actor, {
        action: input.checked ? "checklist.item.tick" : "checklist.item.untick",
        entityType: "ChecklistItem",
        entityId: item.id,
        environmentId: environment.id,
        before: { ...before, label: item.label, releaseId: release.id },
        after: { checked: input.checked, note: updated.note, label: item.label, releaseId: release.id },
      });
      if (wasChecked !== input.checked) await gatesMayHaveOpened(tx, { releaseId: release.id });
      return {
        itemId: item.id,
        checked: input.checked,
        note: updated.note,
        checkedAt: updated.checkedAt,
        changed: true,
      };
    });
  },
});
