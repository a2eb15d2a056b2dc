import { updateFlagState } from "@/lib/data/flags/toggle";
import { route } from "@/lib/http/route";
import { flagChangeBody } from "@/lib/http/api-schemas";

// Change a flag in an environment: flag.toggle there. The same gate as the grid: where the
// environment needs approval for flag changes the change becomes a request (202) that people
// approve in the browser; `breakGlass` with a reason applies it at once for environment.manage
// holders, on the record; `applyAt` schedules it (202).
export const dynamic = "force-dynamic";

export const PUT = route({
  auth: "session-or-token",
  input: { from: "json", schema: flagChangeBody },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input, params }) {
    const result = await updateFlagState(actor, {
      ...input,
      environmentKey: params.key ?? "",
      flagKey: params.flag ?? "",
    });
    return Response.json(result, { status: result.outcome === "applied" ? 200 : 202 });
  },
});
