// What the deploy worker (lib/jobs) uses of lib/data: a deployment's life after it was queued.
export { claimDeployment, WORKER_ID } from "./claim";
export type { DeployJob } from "./job";
export { appendLog, heartbeat } from "./log";
export { interruptedByShutdown, INTERRUPTED, requeueWaiting, resendLostMoves } from "./reconcile";
export { deploymentOutcome } from "./outcome";
