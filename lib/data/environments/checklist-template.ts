import "server-only";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import type { ChecklistTemplateSummary } from "./read";
import { ValidationError } from "../errors";
import { environmentByKey } from "./by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";

import { INVALID, blank, lockEnvironment, optionalText, readChecklist } from "./settings-shared";
import { CHECK_NAME, CHECK_NAME_MESSAGE, MAX_CHECK_NAME } from "@/lib/domain/checks";
import { CHECKLIST_PHASES } from "@/lib/domain/deployment-checklist";
import { checklistPhaseEnum } from "../enums";

// An environment's checklist template (checklist.template.update).

const templateItem = z.object({
  /** an existing item of this environment's template; absent for a new one */
  id: z.preprocess(blank, z.uuid("This item is not part of this checklist").nullable()),
  section: optionalText(80),
  /** when it is worked through; absent: before promotion (a gate), as before phases existed */
  phase: z.enum(CHECKLIST_PHASES, "Choose when the item is ticked").default("before"),
  label: z
    .string("Enter the item's text")
    .trim()
    .min(1, "Enter the item's text")
    .max(200, "Use at most 200 characters"),
  hint: optionalText(500),
  required: z.boolean("Say whether the item is required"),
  /** the CI check whose success ticks the item (and whose failure unticks it); blank: none */
  checkName: z.preprocess(
    blank,
    z
      .string("Name the check as text")
      .trim()
      .max(MAX_CHECK_NAME, CHECK_NAME_MESSAGE)
      .regex(CHECK_NAME, CHECK_NAME_MESSAGE)
      .nullable()
      .optional(),
  ),
  /** only the check may tick it; people cannot (kept false when absent) */
  ciOnly: z.boolean("Say whether only the check may tick the item").optional(),
});

const templateInput = z.object({
  environmentKey,
  name: z.string("Name the checklist").trim().min(1, "Name the checklist").max(80, "Use at most 80 characters"),
  timing: z.enum(["before_entry", "before_exit"], "Choose when the checklist is done").default("before_entry"),
  items: z.array(templateItem, "List the checklist's items").max(100, "Use at most 100 items"),
});

export type ChecklistTemplateInput = z.input<typeof templateInput>;

export const updateChecklistTemplate = defineOperation({
  name: "checklist.template.update",
  permission: "environment.manage",
  input: templateInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<ChecklistTemplateSummary> => {
    const env = environment;
    return transaction(ctx, async (tx) => {
      await lockEnvironment(tx, env.id);
      const existing = await tx.checklistTemplate.findUnique({
        where: { environmentId: env.id },
        select: { id: true, name: true, items: { orderBy: [{ position: "asc" }, { id: "asc" }] } },
      });
      const own = new Map(existing?.items.map((i) => [i.id, i]));
      const problems: Record<string, string[]> = {};
      const seen = new Set<string>();
      input.items.forEach((item, i) => {
        if (item.ciOnly && !item.checkName)
          problems[`items.${i}.ciOnly`] = ["Name the check that ticks this item, or let people tick it"];
        // a CI check ticks a release's copy only: a deployment's items are ticked by people
        if (item.phase !== "before" && item.checkName)
          problems[`items.${i}.checkName`] = ["Only an item ticked before promotion can be satisfied by a check"];
        if (item.id === null) return;
        if (!own.has(item.id)) problems[`items.${i}.id`] = ["This item is not part of this checklist"];
        else if (seen.has(item.id)) problems[`items.${i}.id`] = ["This item appears twice"];
        seen.add(item.id);
      });
      if (Object.keys(problems).length) throw new ValidationError(INVALID, problems);

      const before = existing ? await readChecklist(tx, env.id) : null;
      const timing = input.timing === "before_exit" ? "BEFORE_EXIT" : "BEFORE_ENTRY";
      const template = existing
        ? await tx.checklistTemplate.update({ where: { id: existing.id }, data: { name: input.name, timing } })
        : await tx.checklistTemplate.create({ data: { environmentId: env.id, name: input.name, timing } });
      // releases keep their copies of removed items (ChecklistItem.templateItemId is set null)
      const removed = [...own.keys()].filter((id) => !seen.has(id));
      if (removed.length) await tx.checklistTemplateItem.deleteMany({ where: { id: { in: removed } } });
      const fresh = [];
      for (const [position, { id, checkName, ciOnly, phase, ...item }] of input.items.entries()) {
        const data = {
          ...item,
          phase: checklistPhaseEnum.toDb(phase),
          checkName: checkName ?? null,
          ciOnly: ciOnly ?? false,
          position,
        };
        const old = id === null ? undefined : own.get(id);
        if (!old) fresh.push({ ...data, templateId: template.id });
        else if (Object.entries(data).some(([k, v]) => old[k as keyof typeof data] !== v))
          await tx.checklistTemplateItem.update({ where: { id: old.id }, data });
      }
      if (fresh.length) await tx.checklistTemplateItem.createMany({ data: fresh });

      const after = await readChecklist(tx, env.id);
      if (!after) throw new Error("checklist template vanished while locked");
      await audit(tx, actor, {
        action: "checklist.template.update",
        entityType: "ChecklistTemplate",
        entityId: template.id,
        environmentId: env.id,
        before: before ? { ...before } : null,
        after: { ...after },
      });
      return after;
    });
  },
});

// ---------------------------------------------------------------------------------------------
// freeze.create / freeze.delete
// ---------------------------------------------------------------------------------------------
