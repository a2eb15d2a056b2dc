import { WorkCount } from "@/components/shell/work-count";
import { getActor } from "@/lib/session";
import { pendingWork } from "@/lib/data/promotion/my-work";
import { flagChangesWaiting } from "@/lib/data/flags/change-requests";

// The header's count of what waits for the signed-in user. The root layout renders it inside
// a Suspense boundary, so pages stream without waiting for it; lib/data caches the read per
// request, so the board reuses it.

export async function PendingWorkCount() {
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
  return <WorkCount count={count} />;
}

/** Beside "Flags": change requests the signed-in user may still approve or reject. */
export async function PendingFlagChangeCount() {
  const actor = await getActor();
  if (!actor) return null;
  let count: number;
  try {
    count = await flagChangesWaiting(actor);
  } catch (error) {
    console.error("pending flag change count failed", error);
    return null;
  }
  return <WorkCount count={count} />;
}
