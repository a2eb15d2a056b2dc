import { env } from "../env";
import { startDeployWorker } from "./deploy-worker";
import { startNotificationWorker } from "./notification-worker";
import { exitGracefullyOnSignals } from "./shutdown";

// A deploy worker on its own, without the web server: `npm run worker` with DATABASE_URL set.
// Run one next to web instances started with GREENLIGHT_WORKER=off, or several for capacity;
// claims keep every deploy to exactly one of them. SIGTERM lets running deploys finish for up to
// GREENLIGHT_SHUTDOWN_GRACE_SECONDS (lib/jobs/shutdown.ts).

const settings = env();
if (!settings.DATABASE_URL) {
  console.error("worker: DATABASE_URL is not set (the embedded database runs its worker inside `npm start`)");
  process.exit(1);
}
exitGracefullyOnSignals(settings.GREENLIGHT_SHUTDOWN_GRACE_SECONDS, "worker");
await startDeployWorker({ staleSeconds: settings.GREENLIGHT_DEPLOY_STALE_SECONDS });
await startNotificationWorker();
console.log(`worker: running (pid ${process.pid})`);
