import { z } from "zod";
import { createRelease } from "@/lib/data/releases/create";
import { problem } from "@/lib/http/errors";
import { requestIdOf, route } from "@/lib/http/route";

// Releases from CI. Machines only: the caller is the API token in `Authorization: Bearer …`,
// and lib/data decides what it may do (createRelease validates the body: 422 with field
// messages). 201 for a new release, 200 for a repeat of one that exists (CI retries safely),
// 409 when the version already points at another commit.
export const dynamic = "force-dynamic";

export const POST = route({
  auth: "token",
  input: { from: "json", schema: z.unknown() },
  async handle({ actor, input }) {
    const result = await createRelease(actor, input);
    return Response.json(result, { status: result.created ? 201 : 200 });
  },
});

export function GET(request?: Request): Response {
  const requestId = request ? requestIdOf(request) : crypto.randomUUID();
  return problem(405, { error: "method_not_allowed", message: "Create releases with POST" }, requestId, {
    allow: "POST",
  });
}
