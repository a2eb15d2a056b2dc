import { stopWorkerBoss } from "./boss";
import { runningDeployments, stopDeployWorker } from "./deploy-worker";
import { stopNotificationWorker } from "./notification-worker";

// What a process running the deploy worker does on SIGTERM or SIGINT: take no new deploy, let
// running ones finish for up to the grace period, cut off (as interrupted) those still running,
// then exit. A second signal ends the wait at once.

/** Stops the deploy worker gracefully; a second call ends the wait for running deploys at once. */
export function gracefulWorkerStop(graceSeconds: number, name: string): (signal: NodeJS.Signals) => Promise<void> {
  let stopping: Promise<void> | null = null;
  let hurry: (() => void) | null = null;
  return (signal) => {
    if (stopping) {
      console.log(`${name}: ${signal} again: cutting running deploys off now`);
      hurry?.();
      return stopping;
    }
    const cutShort = new Promise<void>((resolve) => (hurry = resolve));
    const count = runningDeployments().length;
    console.log(
      `${name}: ${signal}: taking no new deploys` +
        (count ? `; waiting up to ${graceSeconds} s for ${count} running deploy(s)` : ""),
    );
    // notification attempts under way finish (each within its timeout) while deploys wind down
    const notifications = stopNotificationWorker().catch((e: unknown) =>
      console.error(`${name}: stopping notifications: ${(e as Error).message}`),
    );
    stopping = stopDeployWorker({ graceSeconds, cutShort, log: (line) => console.log(line) })
      .then(async (report) => {
        await notifications;
        if (report.finished.length) console.log(`${name}: ${report.finished.length} deploy(s) finished`);
        if (report.interrupted.length)
          console.log(`${name}: ${report.interrupted.length} deploy(s) failed as interrupted`);
        await stopWorkerBoss();
      })
      .catch((e: unknown) => console.error(`${name}: stopping: ${(e as Error).message}`));
    return stopping;
  };
}

export function exitGracefullyOnSignals(graceSeconds: number, name: string): void {
  const stop = gracefulWorkerStop(graceSeconds, name);
  const onSignal = (signal: NodeJS.Signals) => void stop(signal).finally(() => process.exit(0));
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
