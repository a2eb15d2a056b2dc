import { changeStamp } from "@/lib/data/live";
import { route } from "@/lib/http/route";

// What open pages poll (components/ui/live-refresh.tsx) to learn that something changed: a
// session or an API token; lib/data decides who may watch (403 for someone who may see no
// environment). Never cached: a stale stamp is a missed update.
export const dynamic = "force-dynamic";

export const GET = route({
  auth: "session-or-token",
  headers: { "cache-control": "no-store" },
  handle: async ({ actor }) => Response.json({ stamp: await changeStamp(actor) }),
});
