import { env } from "../env";
import { startDeployWorker } from "./deploy-worker";

// The background work a server process runs next to its pages: the deploy worker and its
// reconciler. Several instances may run it against one PostgreSQL; claims keep each deploy to one.

export async function startWorkers(): Promise<void> {
  const settings = env();
  if (settings.GREENLIGHT_WORKER === "off" || !settings.DATABASE_URL) return;
  try {
    // no shutdown hook: a deploy cut off by a stop is failed by the next reconciler, never rerun
    await startDeployWorker({ staleSeconds: settings.GREENLIGHT_DEPLOY_STALE_SECONDS });
  } catch (e) {
    // pages still serve; promotions stay queued until a worker runs (the reconciler re-enqueues)
    console.error(`deploy worker did not start: ${(e as Error).message}`);
  }
}
