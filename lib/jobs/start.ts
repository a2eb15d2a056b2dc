import { env } from "../env";
import { startDeployWorker } from "./deploy-worker";
import { startNotificationWorker } from "./notification-worker";
import { onServerStop } from "./server-stop";
import { exitGracefullyOnSignals, gracefulWorkerStop } from "./shutdown";

// The background work a server process runs next to its pages: the deploy worker and its
// reconciler. Several instances may run it against one PostgreSQL; claims keep each deploy to one.
//
// Stopping: no new deploys, running ones finish within GREENLIGHT_SHUTDOWN_GRACE_SECONDS, pages
// keep serving meanwhile. Under `npm start` the app server (lib/cli/app-server.ts) takes the
// signals and runs this first; under a plain `next start`, Next exits on SIGTERM by itself
// unless NEXT_MANUAL_SIG_HANDLE is set, and then this process handles the signal itself.

export async function startWorkers(): Promise<void> {
  const settings = env();
  if (settings.GREENLIGHT_WORKER === "off" || !settings.DATABASE_URL) return;
  const graceSeconds = settings.GREENLIGHT_SHUTDOWN_GRACE_SECONDS;
  if (!onServerStop(gracefulWorkerStop(graceSeconds, "greenlight"))) {
    if (process.env.NEXT_MANUAL_SIG_HANDLE) exitGracefullyOnSignals(graceSeconds, "greenlight");
    else
      console.warn(
        "deploy worker: NEXT_MANUAL_SIG_HANDLE is not set, so stopping this server cuts running deploys off " +
          "(they are failed as interrupted); `npm start` waits for them",
      );
  }
  try {
    await startDeployWorker({ staleSeconds: settings.GREENLIGHT_DEPLOY_STALE_SECONDS });
  } catch (e) {
    // pages still serve; promotions stay queued until a worker runs (the reconciler re-enqueues)
    console.error(`deploy worker did not start: ${(e as Error).message}`);
  }
  try {
    await startNotificationWorker();
  } catch (e) {
    // deliveries stay pending until a worker runs (its reconciler sends their jobs again)
    console.error(`notification worker did not start: ${(e as Error).message}`);
  }
}
