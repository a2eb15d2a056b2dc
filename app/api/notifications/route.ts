import { z } from "zod";
import { readInbox } from "@/lib/data/notifications/inbox";
import { route } from "@/lib/http/route";

// The signed-in person's inbox as JSON: the header's bell polls it for the unread count and the
// newest item, the inbox page to know when to re-render. A person's session only: an API token
// has no inbox (403). Never cached.
export const dynamic = "force-dynamic";

const query = z
  .object({
    before: z.uuid("Use a notification id").optional(),
    unread: z.enum(["true", "false"], "Use true or false").optional(),
    limit: z.coerce.number("Use a number").int("Use a whole number").min(1).max(100).optional(),
  })
  .strict();

export const GET = route({
  auth: "session-or-token",
  input: { from: "query", schema: query },
  headers: { "cache-control": "no-store" },
  handle: async ({ actor, input }) => {
    const inbox = await readInbox(actor, {
      ...(input.before ? { before: input.before } : {}),
      ...(input.unread ? { unread: input.unread === "true" } : {}),
      limit: input.limit ?? 10,
    });
    return Response.json(inbox);
  },
});
