import { tokenActor } from "@/lib/session";
import { createRelease } from "@/lib/data/releases/create";
import { errorResponse } from "@/lib/data/result";

// Releases from CI. Machines only: the caller is the API token in `Authorization: Bearer …`,
// and lib/data decides what it may do. 201 for a new release, 200 for a repeat of one that
// exists (CI retries safely), 409 when the version already points at another commit.
export const dynamic = "force-dynamic";

const ALLOW = { allow: "POST" };

function problem(status: number, error: string, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error, message }, { status, headers });
}

export async function POST(request: Request): Promise<Response> {
  const actor = await tokenActor(request.headers.get("authorization"));
  if (!actor)
    return problem(401, "unauthorized", "Send a valid API token as Authorization: Bearer <token>", {
      "www-authenticate": 'Bearer realm="greenlight"',
    });

  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type))
    return problem(415, "unsupported_media_type", "Send the release as JSON with Content-Type: application/json");

  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json(
      {
        error: "validation",
        message: "The body is not valid JSON",
        fieldErrors: { _: ["The body is not valid JSON"] },
      },
      { status: 422 },
    );
  }

  try {
    const result = await createRelease(actor, body);
    return Response.json(result, { status: result.created ? 201 : 200 });
  } catch (e) {
    // 403 / 404 / 409 / 422 with field messages; anything else 500 without details
    return errorResponse(e);
  }
}

export function GET(): Response {
  return problem(405, "method_not_allowed", "Create releases with POST", ALLOW);
}
