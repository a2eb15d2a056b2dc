import { getActor, tokenActor, type Actor } from "@/lib/session";
import { changeStamp } from "@/lib/data/live";
import { errorResponse } from "@/lib/data/result";

// What open pages poll (components/live-refresh.tsx) to learn that something changed: a
// session or an API token; lib/data decides who may watch. Never cached: a stale stamp is a
// missed update.
export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

async function actorOf(request: Request): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  // a presented token is the whole answer: a bad one must not fall back to a cookie
  if (authorization !== null) return tokenActor(authorization);
  return getActor();
}

export async function GET(request: Request): Promise<Response> {
  const actor = await actorOf(request);
  if (!actor)
    return Response.json(
      { error: "unauthorized", message: "Sign in, or send a valid API token as Authorization: Bearer <token>" },
      { status: 401, headers: { ...NO_STORE, "www-authenticate": 'Bearer realm="greenlight"' } },
    );
  try {
    return Response.json({ stamp: await changeStamp(actor) }, { headers: NO_STORE });
  } catch (e) {
    // 403 for someone who may see no environment; 500 without details otherwise
    const response = errorResponse(e);
    response.headers.set("cache-control", "no-store");
    return response;
  }
}
