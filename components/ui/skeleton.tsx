// Placeholders shown while a page's data loads: the page's shape, announced once as busy.

export function SkeletonBlock({ className = "" }: { className?: string }) {
  return <div className={`motion-safe:animate-pulse rounded-md bg-slate-200/80 ${className}`} />;
}

export function LoadingPage({ label, rows = 6, columns = 3 }: { label: string; rows?: number; columns?: number }) {
  return (
    <div aria-busy="true">
      <p role="status" className="sr-only">
        {label}
      </p>
      <div aria-hidden="true">
        <SkeletonBlock className="mb-2 h-8 w-56" />
        <SkeletonBlock className="mb-8 h-4 w-80 max-w-full" />
        <div className="overflow-hidden rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <div
            className="grid gap-4"
            style={{ gridTemplateColumns: `minmax(6rem, 1fr) repeat(${columns}, minmax(0, 2fr))` }}
          >
            {Array.from({ length: rows * (columns + 1) }, (_, i) => (
              <SkeletonBlock key={i} className={i % (columns + 1) === 0 ? "h-10" : "h-16"} />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
