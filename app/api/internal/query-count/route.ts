import { benchmarkQueryCount } from "@/lib/data/diagnostics";

// Used by `npm run bench:pages` to count the SQL statements each page runs. Exists only in a
// server started with GREENLIGHT_COUNT_QUERIES=1; everywhere else it is a plain 404.
export const dynamic = "force-dynamic";

export function GET() {
  const count = benchmarkQueryCount();
  if (count === null) return new Response("Not found", { status: 404 });
  return Response.json({ count }, { headers: { "cache-control": "no-store" } });
}
