import { compareEnvironments, compareInput, driftJson } from "@/lib/data/environments/compare";
import { route } from "@/lib/http/route";

// GET ?a=staging&b=production: two environments side by side, for a CI step that fails when
// they drift (e.g. `flags.identical` false). environment.view in both, by session or API
// token; 404 for an unknown environment or one the caller may not see, 422 for the same one
// twice or a missing one.
export const dynamic = "force-dynamic";

export const GET = route({
  auth: "session-or-token",
  input: { from: "query", schema: compareInput },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input }) {
    return Response.json(driftJson(await compareEnvironments(actor, input)));
  },
});
