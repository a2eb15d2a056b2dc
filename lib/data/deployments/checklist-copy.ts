import "server-only";
import type { Sql } from "../context";

// A deployment's own copy of its environment's "during" and "after" checklist items, made when
// it is queued (createDeployment), in one statement: later template changes do not alter what
// a deployment under way asks for. Rollbacks get none (lib/domain/deployment-checklist.ts says
// why). Copying twice adds nothing (deployment × template item is unique).

export async function copyDeploymentChecklist(sql: Sql, deploymentId: string, environmentId: string): Promise<number> {
  return sql.$executeRaw`
    insert into "DeploymentChecklistItem" (id, "deploymentId", "templateItemId", phase, position, section, label, hint)
    select gen_random_uuid(), ${deploymentId}::uuid, ti.id, ti.phase, ti.position, ti.section, ti.label, ti.hint
    from "ChecklistTemplate" ct
    join "ChecklistTemplateItem" ti on ti."templateId" = ct.id
    where ct."environmentId" = ${environmentId}::uuid and ti.phase <> 'before'
    on conflict ("deploymentId", "templateItemId") do nothing`;
}
