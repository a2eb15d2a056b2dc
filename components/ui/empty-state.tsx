import type { ReactNode } from "react";

/** What a page says when there is nothing to show yet, and what to do about it. */
export function EmptyState({
  title,
  children,
  icon = "inbox",
}: {
  title: ReactNode;
  children?: ReactNode;
  icon?: "inbox" | "search" | "lock";
}) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <svg
        viewBox="0 0 24 24"
        className="mx-auto size-8 text-slate-400"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        aria-hidden="true"
        focusable="false"
      >
        {icon === "inbox" ? (
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M3 13.5h4.5l1.5 2.25h6l1.5-2.25H21M3 13.5V18a1.5 1.5 0 0 0 1.5 1.5h15A1.5 1.5 0 0 0 21 18v-4.5M3 13.5 5.7 5.4A1.5 1.5 0 0 1 7.1 4.5h9.8a1.5 1.5 0 0 1 1.4.9L21 13.5"
          />
        ) : icon === "search" ? (
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="m20 20-4.3-4.3M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z"
          />
        ) : (
          <>
            <rect x="5" y="10.5" width="14" height="9.5" rx="1.5" />
            <path strokeLinecap="round" d="M8.5 10.5V7.5a3.5 3.5 0 0 1 7 0v3" />
          </>
        )}
      </svg>
      <p className="mt-3 text-base font-semibold text-slate-900">{title}</p>
      {children ? <div className="mx-auto mt-1 max-w-prose text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}
