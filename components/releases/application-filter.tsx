import Link from "@/components/ui/link";
import type { ApplicationSummary } from "@/lib/data/pipeline";
import { releasesHref } from "./href";

/**
 * Narrow a page to one application: plain links, the current one marked. The releases list by
 * default; `hrefFor` points the links elsewhere (the board keeps its other filters in them).
 */
export function ApplicationFilter({
  applications,
  current,
  hrefFor = (application) => releasesHref({ application }),
  className = "mb-4",
}: {
  applications: ApplicationSummary[];
  current: string | null;
  hrefFor?: (application: string | null) => string;
  className?: string;
}) {
  const options = [{ key: null, name: "All applications" }, ...applications.map((a) => ({ key: a.key, name: a.name }))];
  return (
    <nav aria-label="Filter by application" className={`-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0 ${className}`}>
      <ul className="flex gap-2">
        {options.map((option) => {
          const selected = option.key === current;
          return (
            <li key={option.key ?? "all"}>
              <Link
                href={hrefFor(option.key)}
                aria-current={selected ? "page" : undefined}
                className={`block whitespace-nowrap rounded-full px-3 py-1 text-sm font-medium ring-1 ${
                  selected
                    ? "bg-slate-900 text-white ring-slate-900"
                    : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-100"
                }`}
              >
                {option.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
