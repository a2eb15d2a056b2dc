import { z } from "zod";
import { promoteRelease } from "@/lib/data/promotion/promote";
import { deploymentAfterWrite } from "@/lib/http/deployment-json";
import { route } from "@/lib/http/route";
import { promotionRequest } from "@/lib/http/api-schemas";
import { NotFoundError } from "@/lib/data/errors";

// Promote a release into an environment from CI: the same gates, locks, permissions
// (deploy.trigger there) and audit as the Promote button. 202 with the deployment (queued, or
// waiting behind another in that environment); poll its `links.self` until `final`.
export const dynamic = "force-dynamic";

export const POST = route({
  auth: "session-or-token",
  input: { from: "json", schema: promotionRequest },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input, params }) {
    if (!z.guid().safeParse(params.id).success) throw new NotFoundError("Release");
    const result = await promoteRelease(actor, {
      releaseId: params.id ?? "",
      environmentKey: input.environment,
      ...(input.overrideReason ? { overrideReason: input.overrideReason } : {}),
    });
    const deployment = await deploymentAfterWrite(actor, result.deploymentId, "queued");
    return Response.json(
      { ...deployment, queued: result.queued, overridden: result.overridden },
      { status: 202, headers: { location: `/api/v1/deployments/${result.deploymentId}` } },
    );
  },
});
