import { NotificationBell } from "@/components/notifications/bell";
import { readInbox, type Inbox } from "@/lib/data/notifications/inbox";
import { getActor } from "@/lib/session";

// The header's bell, with the count as the page was rendered; the bell keeps it current itself.
// Streamed in by the root layout so no page waits for it.

async function inboxOrNull(actor: Parameters<typeof readInbox>[0]): Promise<Inbox | null> {
  try {
    return await readInbox(actor, { limit: 1 });
  } catch (error) {
    // a bell that cannot be read must not take every page down with it
    console.error("inbox count failed", error);
    return null;
  }
}

export async function InboxBell() {
  const actor = await getActor();
  if (!actor) return null;
  const inbox = await inboxOrNull(actor);
  if (!inbox) return null;
  return <NotificationBell initial={{ unread: inbox.unread, newestId: inbox.items[0]?.id ?? null }} />;
}
