// What the deploy worker (lib/jobs) uses of lib/data: a deployment's life after it was queued.
export { claimDeployment, WORKER_ID } from "./claim";
export { finishDeployment, type DeployOutcome } from "./finish";
export type { DeployJob } from "./job";
export { appendLog, heartbeat } from "./log";
export { failInterrupted, INTERRUPTED, requeueWaiting } from "./reconcile";
