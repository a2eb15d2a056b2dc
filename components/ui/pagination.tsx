import Link from "@/components/ui/link";
import { formatCount } from "./format";
import { pageRange, pageSlots } from "./pagination-model";

// Real links (each page has a URL to share or open in a tab); the current page is marked for
// screen readers with aria-current and for eyes with a filled square.

export function Pagination({
  page,
  pageCount,
  pageSize,
  total,
  hrefFor,
  noun = "release",
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  hrefFor: (page: number) => string;
  /** singular: "release" → "1 release", "2 releases" */
  noun?: string;
}) {
  const { first, last } = pageRange(page, pageSize, total);
  const base = "inline-flex min-w-9 items-center justify-center rounded-md px-2.5 py-1.5 text-sm font-medium";
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-col items-center gap-3 sm:flex-row sm:justify-between">
      <p className="text-sm text-slate-600" aria-live="polite">
        Showing <span className="font-medium text-slate-900">{formatCount(first)}</span>–
        <span className="font-medium text-slate-900">{formatCount(last)}</span> of{" "}
        <span className="font-medium text-slate-900">{formatCount(total)}</span> {total === 1 ? noun : `${noun}s`}
      </p>
      {pageCount > 1 ? (
        <ul className="flex flex-wrap items-center justify-center gap-1">
          <li>
            {page > 1 ? (
              <Link
                href={hrefFor(page - 1)}
                rel="prev"
                className={`${base} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100`}
              >
                <span aria-hidden="true">←&nbsp;</span>Previous
              </Link>
            ) : (
              <span aria-disabled="true" className={`${base} cursor-not-allowed text-slate-400 ring-1 ring-slate-200`}>
                <span aria-hidden="true">←&nbsp;</span>Previous
              </span>
            )}
          </li>
          {pageSlots(page, pageCount).map((slot) =>
            slot.kind === "gap" ? (
              <li key={slot.key} className="px-1 text-slate-400" aria-hidden="true">
                …
              </li>
            ) : (
              <li key={slot.page} className={slot.page === page ? "" : "hidden sm:block"}>
                <Link
                  href={hrefFor(slot.page)}
                  aria-current={slot.page === page ? "page" : undefined}
                  aria-label={`Page ${slot.page}`}
                  className={`${base} tabular-nums ${slot.page === page ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {formatCount(slot.page)}
                </Link>
              </li>
            ),
          )}
          <li>
            {page < pageCount ? (
              <Link
                href={hrefFor(page + 1)}
                rel="next"
                className={`${base} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100`}
              >
                Next<span aria-hidden="true">&nbsp;→</span>
              </Link>
            ) : (
              <span aria-disabled="true" className={`${base} cursor-not-allowed text-slate-400 ring-1 ring-slate-200`}>
                Next<span aria-hidden="true">&nbsp;→</span>
              </span>
            )}
          </li>
        </ul>
      ) : null}
    </nav>
  );
}
