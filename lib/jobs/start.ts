import { env } from "../env";
import { startDeployWorker } from "./deploy-worker";
import { exitGracefullyOnSignals } from "./shutdown";

// The background work a server process runs next to its pages: the deploy worker and its
// reconciler. Several instances may run it against one PostgreSQL; claims keep each deploy to one.
//
// Stopping: Next.js exits on SIGTERM by itself unless NEXT_MANUAL_SIG_HANDLE is set, which
// `npm start` (lib/cli/start.ts) does; then this process handles the signal: no new deploys,
// running ones finish within GREENLIGHT_SHUTDOWN_GRACE_SECONDS, pages keep serving meanwhile.

export async function startWorkers(): Promise<void> {
  const settings = env();
  if (settings.GREENLIGHT_WORKER === "off" || !settings.DATABASE_URL) return;
  if (process.env.NEXT_MANUAL_SIG_HANDLE)
    exitGracefullyOnSignals(settings.GREENLIGHT_SHUTDOWN_GRACE_SECONDS, "greenlight");
  else
    console.warn(
      "deploy worker: NEXT_MANUAL_SIG_HANDLE is not set, so stopping this server cuts running deploys off " +
        "(they are failed as interrupted); `npm start` sets it",
    );
  try {
    await startDeployWorker({ staleSeconds: settings.GREENLIGHT_DEPLOY_STALE_SECONDS });
  } catch (e) {
    // pages still serve; promotions stay queued until a worker runs (the reconciler re-enqueues)
    console.error(`deploy worker did not start: ${(e as Error).message}`);
  }
}
