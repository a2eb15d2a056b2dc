import Link from "@/components/ui/link";
import { ApplicationFilter } from "@/components/releases/application-filter";
import { EmptyState } from "@/components/ui/empty-state";
import { plural } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { ReleaseNewLink } from "@/components/releases/new-link";
import { ReleasesTable } from "@/components/releases/table";
import { releasesHref } from "@/components/releases/href";
import { requireActor } from "@/lib/session";
import { mayCreateReleases } from "@/lib/data/releases/form";
import { listReleases } from "@/lib/data/releases/read";

export const metadata = { title: "Releases" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function ReleasesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  // lib/data validates and clamps these: garbage in the URL means the first page
  const actor = await requireActor();
  const [list, mayCreate] = await Promise.all([
    listReleases(actor, { page: first(params.page), application: first(params.application) }),
    mayCreateReleases(actor),
  ]);
  const applicationKey = list.application?.key ?? null;

  return (
    <>
      <PageHeader
        title="Releases"
        description={
          list.application
            ? `Every release of ${list.application.name}, newest first.`
            : "Every release of every application, newest first."
        }
        aside={
          list.total > 0 || mayCreate ? (
            <div className="flex items-center gap-4">
              {list.total > 0 ? <p className="text-sm text-slate-500">{plural(list.total, "release")}</p> : null}
              {mayCreate ? <ReleaseNewLink application={applicationKey} /> : null}
            </div>
          ) : null
        }
      />
      {list.applications.length > 1 ? (
        <ApplicationFilter applications={list.applications} current={applicationKey} />
      ) : null}
      {list.unknownApplication !== null ? (
        <EmptyState title="No such application" icon="search">
          There is no application with the key <code className="font-mono">{list.unknownApplication}</code>.{" "}
          <Link href="/releases" className="font-medium text-brand-700 underline">
            Show all releases
          </Link>
        </EmptyState>
      ) : list.total === 0 ? (
        <EmptyState title="No releases yet">
          Create one from CI with <code className="font-mono whitespace-nowrap">POST /api/v1/releases</code>.
        </EmptyState>
      ) : (
        <>
          <ReleasesTable list={list} />
          <Pagination
            page={list.page}
            pageCount={list.pageCount}
            pageSize={list.pageSize}
            total={list.total}
            hrefFor={(page) => releasesHref({ page, application: applicationKey })}
          />
        </>
      )}
    </>
  );
}
