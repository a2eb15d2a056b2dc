import { getActor } from "@/lib/data/actor";
import { pendingWork } from "@/lib/data/my-work";

// The count beside "Pipeline" in the header: how many promotions wait for the signed-in user.
// The root layout hands the header only the user, so the count is read here, inside a
// Suspense boundary (see site-header.tsx) that lets the page stream without waiting for it.
// lib/data caches it per request, so the board reuses the same read.

export async function BoardNavBadge() {
  const actor = await getActor();
  if (!actor) return null;
  let count: number;
  try {
    ({ count } = await pendingWork(actor));
  } catch (error) {
    // a count that cannot be read must not take every page down with it
    console.error("pending work count failed", error);
    return null;
  }
  if (count === 0) return null;
  return (
    <span className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-400 px-1.5 text-xs leading-5 font-semibold text-slate-900 tabular-nums">
      <span aria-hidden="true">{count}</span>
      <span className="sr-only">{`, ${count} waiting for you`}</span>
    </span>
  );
}
