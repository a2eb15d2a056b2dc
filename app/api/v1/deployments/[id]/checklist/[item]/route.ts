import { z } from "zod";
import { tickDeploymentChecklistItem } from "@/lib/data/deployments/checklist-tick";
import { NotFoundError } from "@/lib/data/errors";
import { checklistTickBody } from "@/lib/http/api-schemas";
import { checklistItemJson } from "@/lib/http/deployment-json";
import { route } from "@/lib/http/route";

// Tick or untick one of a deployment's "during" or "after" checklist items, as people do on its
// page: checklist.tick in the deployment's environment, audited and written to its log. 200 with
// the item; `changed: false` when it already was so. 409 with the reason when it cannot be
// ticked now; 404 for an unknown or malformed id, or a deployment the caller may not see.
export const dynamic = "force-dynamic";

export const PUT = route({
  auth: "session-or-token",
  input: { from: "json", schema: checklistTickBody },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input, params }) {
    // a path segment that is no id names nothing
    if (!z.guid().safeParse(params.id).success) throw new NotFoundError("Deployment");
    if (!z.guid().safeParse(params.item).success) throw new NotFoundError("Checklist item of this deployment");
    const result = await tickDeploymentChecklistItem(actor, {
      ...input,
      deploymentId: params.id ?? "",
      itemId: params.item ?? "",
    });
    return Response.json({ item: checklistItemJson(result), changed: result.changed });
  },
});
