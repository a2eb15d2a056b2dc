import { getActor, tokenActor, type Actor } from "@/lib/session";
import { exportAuditEventsCsv, type AuditFilterInput } from "@/lib/data/audit-log";
import { errorResponse } from "@/lib/data/result";

// The audit trail as a CSV download, with the same filters as the page. A person's session or
// a machine's API token (Authorization: Bearer …); lib/data decides what either may read.
export const dynamic = "force-dynamic";

const FILTERS = ["actor", "action", "environment", "from", "to"] as const;

async function actorOf(request: Request): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  // a presented token is the whole answer: a bad one must not fall back to a cookie
  if (authorization !== null) return tokenActor(authorization);
  return getActor();
}

function streamOf(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export async function GET(request: Request): Promise<Response> {
  const actor = await actorOf(request);
  if (!actor)
    return Response.json(
      { error: "unauthorized", message: "Sign in, or send a valid API token as Authorization: Bearer <token>" },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="greenlight"' } },
    );

  const params = new URL(request.url).searchParams;
  const filters: AuditFilterInput = {};
  for (const name of FILTERS) filters[name] = params.get(name) ?? undefined;

  let csv: Awaited<ReturnType<typeof exportAuditEventsCsv>>;
  try {
    csv = await exportAuditEventsCsv(actor, filters);
  } catch (e) {
    // 403 for a refusal, 422 with field messages for bad filters, 500 without details otherwise
    return errorResponse(e);
  }

  const day = new Date().toISOString().slice(0, 10);
  return new Response(streamOf(csv.chunks), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="greenlight-audit-${day}.csv"`,
      "cache-control": "no-store",
      "x-audit-rows": String(csv.rows),
      ...(csv.truncated ? { "x-audit-truncated": "true" } : {}),
    },
  });
}
