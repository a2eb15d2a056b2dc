import type { ReactNode } from "react";

/** The page's one <h1>, what the page is for, and room for a breadcrumb above and facts beside. */
export function PageHeader({
  title,
  description,
  eyebrow,
  aside,
}: {
  title: ReactNode;
  description?: ReactNode;
  eyebrow?: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-col gap-4 sm:mb-8 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        {eyebrow ? <div className="mb-1 text-sm text-slate-500">{eyebrow}</div> : null}
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
        {description ? <div className="mt-1 max-w-3xl text-sm text-slate-600 sm:text-base">{description}</div> : null}
      </div>
      {aside ? <div className="shrink-0">{aside}</div> : null}
    </div>
  );
}
