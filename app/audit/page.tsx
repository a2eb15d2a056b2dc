import { AuditFilterForm, auditExportHref, auditHref } from "@/components/audit/filters";
import { AuditRefusal } from "@/components/audit/refusal";
import { AuditTable } from "@/components/audit/table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, plural } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requireActor } from "@/lib/session";
import {
  AUDIT_CSV_MAX_ROWS,
  auditFilterOptions,
  listAuditEvents,
  type AuditEventList,
  type AuditFilters,
} from "@/lib/data/audit/log";
import { ForbiddenError, ValidationError } from "@/lib/data/errors";

export const metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const params = await searchParams;
  const asked: AuditFilters & { page?: string } = {
    actor: first(params.actor),
    action: first(params.action),
    environment: first(params.environment),
    from: first(params.from),
    to: first(params.to),
    page: first(params.page),
  };

  // lib/data decides who may read what; a refusal is recorded there as authz.denied
  let list: AuditEventList | null = null;
  let fieldErrors: Record<string, string[]> = {};
  try {
    list = await listAuditEvents(actor, asked);
  } catch (e) {
    if (e instanceof ForbiddenError)
      return (
        <>
          <PageHeader title="Audit log" description="Who did what, where and when." />
          <AuditRefusal message={e.message} />
        </>
      );
    if (!(e instanceof ValidationError)) throw e;
    fieldErrors = e.fieldErrors;
  }
  const options = await auditFilterOptions(actor);
  const filters = list?.filters ?? {};
  const filtered = Object.keys(filters).length > 0;
  const scopeNames = new Intl.ListFormat("en", { type: "conjunction" }).format(options.environments.map((e) => e.name));

  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          options.scope === "all"
            ? "Sign-ins, refusals and every change, newest first."
            : `Events in ${scopeNames || "no environment"}, newest first. Sign-ins and changes to people are for admins only.`
        }
        aside={
          list && list.total > 0 ? (
            <div className="flex items-center gap-3 sm:flex-col sm:items-end sm:gap-1">
              <a
                href={auditExportHref(filters)}
                download
                className="inline-flex items-center gap-1.5 rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
              >
                <svg
                  viewBox="0 0 16 16"
                  className="size-4 text-slate-500"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  aria-hidden="true"
                  focusable="false"
                >
                  <path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" />
                </svg>
                Export CSV
              </a>
              <p className="text-xs text-slate-500">
                {list.total > AUDIT_CSV_MAX_ROWS
                  ? `The newest ${formatCount(AUDIT_CSV_MAX_ROWS)} of ${plural(list.total, "event")}`
                  : filtered
                    ? `${plural(list.total, "event")} match`
                    : plural(list.total, "event")}
              </p>
            </div>
          ) : null
        }
      />
      <AuditFilterForm values={list ? filters : asked} options={options} fieldErrors={fieldErrors} />
      {!list ? (
        <EmptyState title="These filters need attention" icon="search">
          Correct the fields marked above, or clear the filters.
        </EmptyState>
      ) : list.total === 0 ? (
        filtered ? (
          <EmptyState title="No events match these filters" icon="search">
            Widen the dates, pick another action or environment, or clear the filters.
          </EmptyState>
        ) : (
          <EmptyState title="No events yet">
            Sign-ins, refusals, promotions, deployments and every change to people, access and settings appear here as
            they happen.
          </EmptyState>
        )
      ) : (
        <>
          <AuditTable list={list} />
          <Pagination
            page={list.page}
            pageCount={list.pageCount}
            pageSize={list.pageSize}
            total={list.total}
            hrefFor={(page) => auditHref(filters, page)}
            noun="event"
          />
        </>
      )}
    </>
  );
}
