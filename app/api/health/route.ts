import { checkDatabase } from "@/lib/data/health";

// Liveness and readiness for load balancers and `npm start`'s callers: 200 when the database
// answers, 503 when it does not. Public on purpose: it reveals no data.
export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  const ok = database.status === "up";
  return Response.json(
    { status: ok ? "ok" : "unavailable", database },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
