import { z } from "zod";
import { exportAuditEventsCsv } from "@/lib/data/audit/log";
import { route } from "@/lib/http/route";

// The audit trail as a CSV download, with the same filters as the page. A person's session or
// a machine's API token (Authorization: Bearer …); lib/data decides what either may read.
export const dynamic = "force-dynamic";

const FILTERS = ["actor", "action", "environment", "from", "to"] as const;

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

const filters = z.object(Object.fromEntries(FILTERS.map((name) => [name, z.string().max(500).optional()])));

export const GET = route({
  auth: "session-or-token",
  input: { from: "query", schema: filters },
  async handle({ actor, input }) {
    // 403 for a refusal and 422 with field messages for bad filters come from lib/data
    const csv = await exportAuditEventsCsv(actor, input);
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
  },
});
