// A deployment's life as a state machine: every status it can be in, and every move between
// them. The deploy worker, the reconciler and (next) rollouts and rollbacks ask `transition`
// before they write, and their SQL only updates rows whose status is one `fromStatuses` allows,
// so two workers, a reconciler and a person can race on one deployment and at most one wins.
// Pure: no database, no framework.

export const DEPLOYMENT_STATUSES = [
  "queued",
  "running",
  "paused",
  "rolling_back",
  "succeeded",
  "failed",
  "rolled_back",
  "cancelled",
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Statuses in which the deployment still holds its application × environment. */
export const ACTIVE_STATUSES = [
  "queued",
  "running",
  "paused",
  "rolling_back",
] as const satisfies readonly DeploymentStatus[];
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
/** Statuses a deployment never leaves. */
export const FINAL_STATUSES = [
  "succeeded",
  "failed",
  "rolled_back",
  "cancelled",
] as const satisfies readonly DeploymentStatus[];

export const DEPLOYMENT_EVENTS = [
  /** a worker takes a queued deployment */
  "claim",
  /** a rollout waits between traffic steps, or for a person */
  "pause",
  "resume",
  /** the provider reported success and every traffic step is done */
  "succeed",
  /** the provider failed, or its worker disappeared (interrupted) */
  "fail",
  /** stopped by a person before it finished */
  "cancel",
  /** put the previous release back: automatically on failed health, or one click */
  "rollback",
  "rollback_succeed",
  "rollback_fail",
] as const;
export type DeploymentEvent = (typeof DEPLOYMENT_EVENTS)[number];

const TRANSITIONS: Record<DeploymentEvent, Partial<Record<DeploymentStatus, DeploymentStatus>>> = {
  claim: { queued: "running" },
  pause: { running: "paused" },
  resume: { paused: "running" },
  succeed: { running: "succeeded" },
  fail: { running: "failed", paused: "failed" },
  cancel: { queued: "cancelled", paused: "cancelled" },
  rollback: { running: "rolling_back", paused: "rolling_back", succeeded: "rolling_back", failed: "rolling_back" },
  rollback_succeed: { rolling_back: "rolled_back" },
  rollback_fail: { rolling_back: "failed" },
};

export function isDeploymentStatus(value: string): value is DeploymentStatus {
  return (DEPLOYMENT_STATUSES as readonly string[]).includes(value);
}

export function isActiveStatus(status: DeploymentStatus): status is ActiveStatus {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function isFinalStatus(status: DeploymentStatus): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** Where `event` takes a deployment in status `from`, or null when the move is not allowed. */
export function transition(from: DeploymentStatus, event: DeploymentEvent): DeploymentStatus | null {
  return TRANSITIONS[event][from] ?? null;
}

/** The statuses `event` may start from: what a conditional UPDATE puts in its WHERE clause. */
export function fromStatuses(event: DeploymentEvent): DeploymentStatus[] {
  return DEPLOYMENT_STATUSES.filter((s) => TRANSITIONS[event][s] !== undefined);
}

/** The status `event` leads to (the same from every status it may start from). */
export function toStatus(event: DeploymentEvent): DeploymentStatus {
  const targets = new Set(Object.values(TRANSITIONS[event]));
  const [target] = targets;
  if (targets.size !== 1 || !target) throw new Error(`event ${event} has no single target status`);
  return target;
}

/** A move the caller meant to make: both ends, checked against the machine. */
export function planTransition(
  from: DeploymentStatus,
  event: DeploymentEvent,
): { from: DeploymentStatus; to: DeploymentStatus } {
  const to = transition(from, event);
  if (!to) throw new Error(`a ${from} deployment cannot ${event.replace("_", " ")}`);
  return { from, to };
}
