import { z } from "zod";
import { secretsFromEnvValue, verifyWebhookCallback } from "@/lib/deploy/webhook/callback";
import { recordRefusedReport, recordReport, reportTargetOf } from "@/lib/data/deployments/report";
import { errorResponse, problem } from "@/lib/http/errors";
import { BodyTooLarge, boundedText, MAX_BODY_BYTES, requestIdOf, type RouteContext } from "@/lib/http/route";

// Reports from a webhook receiver about the steps Greenlight sent it. No token: the caller proves
// itself with the Standard Webhooks signature made with the deploy target's secret (the value
// of the environment variable the target names; several during a rotation). Older than 5
// minutes or from the future: 401. A repeated webhook-id: 200, accepted once. Refusals are
// audited with their reason.
export const dynamic = "force-dynamic";

export async function POST(request: Request, context: RouteContext): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    const { id } = await context.params;
    const deploymentId = typeof id === "string" && z.guid().safeParse(id).success ? id : null;
    const target = deploymentId ? await reportTargetOf(deploymentId) : null;
    if (!deploymentId || !target)
      return problem(
        404,
        { error: "not_found", message: "No deployment with a webhook target has this id" },
        requestId,
      );
    let rawBody: string;
    try {
      rawBody = await boundedText(request);
    } catch (e) {
      if (e instanceof BodyTooLarge)
        return problem(413, { error: "payload_too_large", message: `Send at most ${MAX_BODY_BYTES} bytes` }, requestId);
      throw e;
    }
    const secrets = secretsFromEnvValue(target.secretEnvVar ? process.env[target.secretEnvVar] : undefined);
    if (secrets.length === 0)
      return problem(
        503,
        {
          error: "not_configured",
          message:
            "This deploy target's signing secret is not set on the Greenlight server, so no report can be verified",
        },
        requestId,
      );
    const verified = verifyWebhookCallback({ secrets, headers: request.headers, rawBody });
    if (!verified.ok) {
      await recordRefusedReport(deploymentId, target.environmentId, verified.reason);
      return problem(
        verified.status,
        { error: verified.status === 401 ? "unauthorized" : "bad_request", message: verified.reason },
        requestId,
      );
    }
    const outcome = await recordReport(deploymentId, verified.webhookId, verified.event);
    return Response.json(outcome, { status: outcome.accepted ? 202 : 200, headers: { "x-request-id": requestId } });
  } catch (e) {
    return errorResponse(e, requestId);
  }
}
