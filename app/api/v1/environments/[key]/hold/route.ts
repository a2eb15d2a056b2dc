import { holdReleaseQuery } from "@/lib/http/api-schemas";
import { releaseHold } from "@/lib/data/deployments/control";
import { route } from "@/lib/http/route";

// DELETE: release the hold an application keeps in an environment after a rollback, so
// auto-promotion into it resumes (deploy.trigger there; audited). 409 when nothing is held.
export const dynamic = "force-dynamic";

export const DELETE = route({
  auth: "session-or-token",
  input: { from: "query", schema: holdReleaseQuery },
  async handle({ actor, input, params }) {
    await releaseHold(actor, { environmentKey: params.key ?? "", ...input });
    return new Response(null, { status: 204 });
  },
});
