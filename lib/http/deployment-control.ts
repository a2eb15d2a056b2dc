import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import type { ControlResult } from "@/lib/data/deployments/control";
import { NotFoundError } from "@/lib/data/errors";
import { deploymentAfterWrite } from "./deployment-json";
import { route } from "./route";

// POST /api/v1/deployments/{id}/<control>: pause, resume, abort, promote-now, cancel. Same
// operations, permissions (deploy.trigger there) and audit as the deployment page's buttons.
// The body is optional: { "reason": "…" }. Answers with the deployment as it is now.

export const controlBody = z.object({ reason: z.string().max(500).optional() }).strict();

type Control = (actor: Actor, input: unknown) => Promise<ControlResult>;

export function controlRoute(control: Control) {
  return route({
    auth: "session-or-token",
    input: { from: "json", schema: controlBody, optionalBody: true },
    headers: { "cache-control": "no-store" },
    async handle({ actor, input, params }) {
      // a path segment that is no id names no deployment
      if (!z.guid().safeParse(params.id).success) throw new NotFoundError("Deployment");
      const result = await control(actor, {
        deploymentId: params.id ?? "",
        ...(input.reason ? { reason: input.reason } : {}),
      });
      return Response.json(await deploymentAfterWrite(actor, result.deploymentId, result.status));
    },
  });
}
