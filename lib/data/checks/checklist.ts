import "server-only";
import type { Actor } from "@/lib/domain/access";
import { audit } from "../audit/record";
import type { Tx } from "../context";
import type { CheckView } from "./view";

// What a check's report does to the release's checklists: every item that names the check (in
// the environment the check speaks for, or in every environment) is ticked by the reporter
// when the check succeeds, with the check's link as its note, and unticked when it fails or
// runs again (pending) — whoever ticked it: CI knows best. Each item that changes is audited
// like a tick by hand (checklist.item.tick / untick), naming the check. Items not copied to the
// release yet start ticked when they are copied (copyChecklist, lib/data/promotion/gate-facts.ts).

export async function applyCheckToChecklist(
  tx: Tx,
  actor: Actor,
  releaseId: string,
  check: CheckView,
): Promise<{ ticked: number; unticked: number }> {
  const items = await tx.checklistItem.findMany({
    where: {
      releaseId,
      checkName: check.name,
      ...(check.environmentId ? { environmentId: check.environmentId } : {}),
    },
    select: { id: true, label: true, environmentId: true, checkedAt: true, note: true },
    orderBy: [{ environmentId: "asc" }, { position: "asc" }],
  });
  const success = check.status === "success";
  let ticked = 0;
  let unticked = 0;
  for (const item of items) {
    const checked = item.checkedAt !== null;
    if (success === checked) continue;
    const note = success ? check.url : null;
    await tx.checklistItem.update({
      where: { id: item.id },
      data: success
        ? {
            checkedAt: new Date(),
            checkedById: actor.kind === "user" ? actor.id : null,
            checkedByTokenId: actor.kind === "token" ? actor.id : null,
            note,
          }
        : { checkedAt: null, checkedById: null, checkedByTokenId: null, note: null },
    });
    await audit(tx, actor, {
      action: success ? "checklist.item.tick" : "checklist.item.untick",
      entityType: "ChecklistItem",
      entityId: item.id,
      environmentId: item.environmentId,
      before: { checked, note: item.note, label: item.label, releaseId },
      after: { checked: success, note, label: item.label, releaseId, check: check.name, status: check.status },
    });
    if (success) ticked++;
    else unticked++;
  }
  return { ticked, unticked };
}
