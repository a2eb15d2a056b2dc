import { z } from "zod";
import { deploymentStamp } from "@/lib/data/deployments/stamp";
import { route } from "@/lib/http/route";

// What an open deployment page polls (components/deploy/live-deployment.tsx): the fingerprint of
// that one deployment and whether it can still change. A session or an API token; lib/data
// hides a deployment the caller may not see (404). Never cached: a stale stamp is a missed update.
export const dynamic = "force-dynamic";

export const GET = route({
  auth: "session-or-token",
  input: { from: "query", schema: z.object({ id: z.string().max(100) }) },
  headers: { "cache-control": "no-store" },
  handle: async ({ actor, input }) => Response.json(await deploymentStamp(actor, input.id)),
});
