import { SkeletonBlock } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true">
      <p role="status" className="sr-only">
        Loading the new release form…
      </p>
      <div aria-hidden="true">
        <SkeletonBlock className="mb-2 h-4 w-20" />
        <SkeletonBlock className="mb-2 h-8 w-56" />
        <SkeletonBlock className="mb-8 h-4 w-96 max-w-full" />
        <div className="max-w-3xl space-y-5 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5">
          <div className="grid gap-4 sm:grid-cols-2">
            {Array.from({ length: 4 }, (_, i) => (
              <SkeletonBlock key={i} className="h-16" />
            ))}
          </div>
          <SkeletonBlock className="h-16" />
          <SkeletonBlock className="h-56" />
          <SkeletonBlock className="h-9 w-32" />
        </div>
      </div>
    </div>
  );
}
