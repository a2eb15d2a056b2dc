import { rollbackEnvironment } from "@/lib/data/deployments/control";
import { deploymentAfterWrite } from "@/lib/http/deployment-json";
import { route } from "@/lib/http/route";
import { rollbackRequest } from "@/lib/http/api-schemas";

// Roll an application in an environment back to its previous successful release: deploy.rollback
// there, a reason, audited; the rollback is a deployment (202, poll it). Afterwards the
// environment holds that version: auto-promotion into it stops until someone releases the hold.
export const dynamic = "force-dynamic";

export const POST = route({
  auth: "session-or-token",
  input: { from: "json", schema: rollbackRequest },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input, params }) {
    const result = await rollbackEnvironment(actor, {
      environmentKey: params.key ?? "",
      application: input.application,
      reason: input.reason,
    });
    return Response.json(await deploymentAfterWrite(actor, result.deploymentId, "queued"), {
      status: 202,
      headers: { location: `/api/v1/deployments/${result.deploymentId}` },
    });
  },
});
