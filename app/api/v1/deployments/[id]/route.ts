import { getDeployment } from "@/lib/data/deployments/view";
import { deploymentJson } from "@/lib/http/deployment-json";
import { route } from "@/lib/http/route";

// A deployment's state for a pipeline waiting on it: poll until `final` is true. 404 for an
// unknown id and for one in an environment the caller may not see.
export const dynamic = "force-dynamic";

export const GET = route({
  auth: "session-or-token",
  headers: { "cache-control": "no-store" },
  async handle({ actor, params }) {
    return Response.json(deploymentJson(await getDeployment(actor, params.id ?? "")));
  },
});
