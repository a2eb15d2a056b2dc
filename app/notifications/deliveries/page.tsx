import { DeliveriesTable } from "@/components/notification-settings/deliveries-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { ForbiddenError } from "@/lib/data/errors";
import { DELIVERY_STATUSES, listDeliveries, type DeliveriesPage } from "@/lib/data/notifications/deliveries-read";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Notification deliveries" };

const TITLE = "Notification deliveries";
const DESCRIPTION = "Every email and webhook call Greenlight sends, with its attempts. Failed ones can be sent again.";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DeliveriesPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const asked = (await searchParams).status;
  // an unknown status in the address shows everything rather than an error
  const status = DELIVERY_STATUSES.find((s) => s === asked);
  let page: DeliveriesPage;
  try {
    page = await listDeliveries(actor, status ? { status } : {});
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    return (
      <>
        <PageHeader title={TITLE} description={DESCRIPTION} />
        <PermissionRefusal permission="notification.manage" />
      </>
    );
  }
  const now = new Date();
  const total = Object.values(page.counts).reduce((a, b) => a + b, 0);
  const filters = [
    { value: undefined, label: "All", count: total },
    ...DELIVERY_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1), count: page.counts[s] })),
  ];
  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        aside={
          <Link href="/notifications/settings" className="text-sm font-medium text-slate-700 underline">
            Settings
          </Link>
        }
      />
      <nav aria-label="Filter by status" className="mb-4">
        <ul className="flex flex-wrap gap-2">
          {filters.map((f) => (
            <li key={f.label}>
              <Link
                href={f.value ? `/notifications/deliveries?status=${f.value}` : "/notifications/deliveries"}
                aria-current={f.value === status ? "page" : undefined}
                className="inline-block rounded-full px-3 py-1 text-sm ring-1 ring-slate-300 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
              >
                {f.label} <span className="tabular-nums">({formatCount(f.count)})</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {page.deliveries.length ? (
        <>
          <DeliveriesTable deliveries={page.deliveries} now={now} />
          {page.deliveries.length === page.limit ? (
            <p className="mt-2 text-sm text-slate-600">The newest {formatCount(page.limit)} are shown.</p>
          ) : null}
        </>
      ) : (
        <EmptyState title={status ? `No ${status} deliveries` : "No deliveries yet"}>
          Deliveries appear here when an event is emailed or posted to a channel.
        </EmptyState>
      )}
    </>
  );
}
