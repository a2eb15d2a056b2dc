// The count beside "Pipeline" in the header: how many promotions wait for the signed-in user.
// app/pending-work-count.tsx reads it, streamed in so no page waits for the count.

export function WorkCount({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-400 px-1.5 text-xs leading-5 font-semibold text-slate-900 tabular-nums">
      <span aria-hidden="true">{count}</span>
      <span className="sr-only">{`, ${count} waiting for you`}</span>
    </span>
  );
}
