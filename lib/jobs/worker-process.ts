import { env } from "../env";
import { startDeployWorker, stopDeployWorker } from "./deploy-worker";
import { stopWorkerBoss } from "./boss";

// A deploy worker on its own, without the web server: `npm run worker` with DATABASE_URL set.
// Run one next to web instances started with GREENLIGHT_WORKER=off, or several for capacity;
// claims keep every deploy to exactly one of them.

const settings = env();
if (!settings.DATABASE_URL) {
  console.error("worker: DATABASE_URL is not set (the embedded database runs its worker inside `npm start`)");
  process.exit(1);
}
await startDeployWorker({ staleSeconds: settings.GREENLIGHT_DEPLOY_STALE_SECONDS });
console.log(`worker: running (pid ${process.pid})`);

const stop = async () => {
  await stopDeployWorker();
  await stopWorkerBoss();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
