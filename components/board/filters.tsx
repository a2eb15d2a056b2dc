import Link from "@/components/ui/link";
import type { ApplicationSummary } from "@/lib/data/pipeline";
import { ApplicationFilter } from "@/components/releases/application-filter";

// The board's filters live in the URL (?application=<key>&mine=1): plain links that work
// without JavaScript, can be bookmarked, and each keeps the other filter.

export interface BoardFilter {
  application: string | null;
  mine: boolean;
}

export function boardHref({ application, mine }: BoardFilter): string {
  const params = new URLSearchParams();
  if (application) params.set("application", application);
  if (mine) params.set("mine", "1");
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

export function BoardFilters({
  applications,
  filter,
  workCount,
}: {
  applications: ApplicationSummary[];
  filter: BoardFilter;
  workCount: number;
}) {
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
      {applications.length > 1 ? (
        <ApplicationFilter
          applications={applications}
          current={filter.application}
          hrefFor={(application) => boardHref({ ...filter, application })}
          className="min-w-0"
        />
      ) : (
        <span />
      )}
      <MineToggle filter={filter} workCount={workCount} />
    </div>
  );
}

/** A toggle as a link: aria-current tells it is on, the box shows a tick. */
function MineToggle({ filter, workCount }: { filter: BoardFilter; workCount: number }) {
  const on = filter.mine;
  return (
    <Link
      href={boardHref({ ...filter, mine: !on })}
      aria-current={on ? "true" : undefined}
      className={`inline-flex shrink-0 items-center gap-2 self-start rounded-full px-3 py-1 text-sm font-medium whitespace-nowrap ring-1 sm:self-auto ${
        on ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-100"
      }`}
    >
      <span
        aria-hidden="true"
        className={`flex size-4 items-center justify-center rounded border ${on ? "border-white bg-white text-slate-900" : "border-slate-400 bg-white"}`}
      >
        {on ? (
          <svg viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="2.5">
            <path d="M3.5 8.5 6.5 11.5 12.5 4.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        ) : null}
      </span>
      Waiting for me
      <span
        className={`min-w-5 rounded-full px-1.5 text-center text-xs tabular-nums ${
          on ? "bg-white/20" : workCount > 0 ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-600"
        }`}
      >
        {workCount}
      </span>
    </Link>
  );
}
