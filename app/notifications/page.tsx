import { InboxList } from "@/components/notifications/inbox-list";
import { InboxRefresh } from "@/components/notifications/inbox-refresh";
import { EmptyState } from "@/components/ui/empty-state";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { readInbox } from "@/lib/data/notifications/inbox";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Inbox" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// What waits for the signed-in person and what went wrong where they work: the notifications
// Greenlight sent them, newest first, 30 at a time.
export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const params = await searchParams;
  const before = typeof params.before === "string" && UUID.test(params.before) ? params.before : undefined;
  const unreadOnly = params.show === "unread";
  const filtered = Boolean(before) || unreadOnly;
  const [inbox, head] = await Promise.all([
    readInbox(actor, { ...(before ? { before } : {}), unread: unreadOnly, limit: 30 }),
    // the newest of all, which the page watches for: on a filtered page not its first item
    filtered ? readInbox(actor, { limit: 1 }) : null,
  ]);
  const newestId = (head ?? inbox).items[0]?.id ?? null;
  const now = new Date();
  const mayManage =
    actor.global.has("notification.manage") ||
    [...actor.byEnvironment.values()].some((permissions) => permissions.has("environment.manage"));
  const tab = (href: string, label: string, current: boolean) => (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"}`}
    >
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Inbox"
        description="What waits for you, and what went wrong where you work."
        aside={
          <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm font-medium text-slate-700">
            <Link href="/notifications/preferences" className="underline underline-offset-2">
              Choose what reaches you
            </Link>
            {/* the mail server and every environment's channels (notification.manage), or the
                channels of an environment one manages; its deliveries link from there */}
            {mayManage ? (
              <Link href="/notifications/settings" className="underline underline-offset-2">
                Notification settings
              </Link>
            ) : null}
          </p>
        }
      />
      <InboxRefresh since={{ unread: inbox.unread, newestId }} />
      <div className="max-w-3xl space-y-4">
        <nav aria-label="Show" className="flex gap-2">
          {tab("/notifications", "All", !unreadOnly)}
          {tab("/notifications?show=unread", "Unread", unreadOnly)}
        </nav>
        {inbox.items.length === 0 ? (
          <EmptyState title={unreadOnly ? "Nothing unread" : before ? "No older notifications" : "Your inbox is empty"}>
            When a release waits for your approval or your checklist, a change request waits for you, or a deployment
            you care about fails, it shows up here.
          </EmptyState>
        ) : (
          <InboxList items={inbox.items} unread={inbox.unread} now={now} />
        )}
        {inbox.nextCursor ? (
          <p>
            <Link
              href={`/notifications?${new URLSearchParams({ ...(unreadOnly ? { show: "unread" } : {}), before: inbox.nextCursor })}`}
              className="text-sm font-medium text-slate-700 underline underline-offset-2"
            >
              Older notifications
            </Link>
          </p>
        ) : null}
      </div>
    </>
  );
}
