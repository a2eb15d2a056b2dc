// Where each application's releases stand in the promotion pipeline, and the path one release
// has taken through it. Pure functions over what lib/data read: "newer" always means created
// later (versions are free-form strings and do not sort reliably), ties broken by id, which is
// a time-ordered UUIDv7.

import { failingGates, gatesPass, GATE_LABELS, readinessLabel, type Gate } from "./gates";
import { isActiveStatus, type DeploymentStatus, type StatusMeta } from "./status";

export interface ReleaseRef {
  id: string;
  version: string;
  createdAt: Date;
}

export interface EnvironmentRef {
  id: string;
  position: number;
}

/** The latest succeeded deployment of an application in an environment: what runs there. */
export interface LiveDeployment<R extends ReleaseRef = ReleaseRef> {
  applicationId: string;
  environmentId: string;
  deploymentId: string;
  release: R;
  finishedAt: Date;
}

/** A deployment under way: queued, or running, paused or rolling back in its rollout. */
export interface ActiveDeployment<R extends ReleaseRef = ReleaseRef> {
  applicationId: string;
  environmentId: string;
  deploymentId: string;
  status: "queued" | "running" | "paused" | "rolling_back";
  release: R;
  queuedAt: Date;
  startedAt: Date | null;
}

/** The latest failed or rolled-back deployment of an application in an environment. */
export interface FailedDeployment<R extends ReleaseRef = ReleaseRef> {
  applicationId: string;
  environmentId: string;
  deploymentId: string;
  status: "failed" | "rolled_back";
  release: R;
  finishedAt: Date;
}

/**
 * A deployment cut off before it finished (its worker crashed, or a stop outlasted the grace
 * period) with no successful deployment since: what runs there is unknown, whatever ran before.
 */
export interface InterruptedDeployment<R extends ReleaseRef = ReleaseRef> {
  applicationId: string;
  environmentId: string;
  deploymentId: string;
  release: R;
  interruptedAt: Date;
}

export interface PipelineInput<R extends ReleaseRef = ReleaseRef> {
  environments: readonly EnvironmentRef[];
  applicationIds: readonly string[];
  live: readonly LiveDeployment<R>[];
  active: readonly ActiveDeployment<R>[];
  failures: readonly FailedDeployment<R>[];
  /** interrupted deployments with nothing succeeded after them (none: every cell is known) */
  interrupted?: readonly InterruptedDeployment<R>[];
  /**
   * Per application, the newest release that never ran successfully in any environment: the
   * candidate for the first environment.
   */
  unreleased: readonly { applicationId: string; release: R }[];
}

export type CellState = "deploying" | "queued" | "unknown" | "failed" | "rolled_back" | "waiting" | "live" | "empty";

export interface PipelineCell<R extends ReleaseRef = ReleaseRef> {
  environmentId: string;
  state: CellState;
  live: { deploymentId: string; release: R; since: Date } | null;
  /** the release ready to be promoted into this environment, and since when it has been ready */
  waiting: { release: R; since: Date; fromEnvironmentId: string | null } | null;
  active: ActiveDeployment<R> | null;
  /** shown only while it matters: newer than what runs, or the waiting release's own failure */
  failure: FailedDeployment<R> | null;
  /**
   * the last deploy here was interrupted and nothing succeeded since: `live` is only what ran
   * before it, and what runs now is unknown until a deploy or a version check says
   */
  unknown: { deploymentId: string; release: R; since: Date } | null;
}

export interface PipelineRow<R extends ReleaseRef = ReleaseRef> {
  applicationId: string;
  cells: PipelineCell<R>[];
  summary: ApplicationSummary;
}

export interface ApplicationSummary {
  /** the furthest environment something runs in, null if nothing was ever deployed */
  furthestEnvironmentId: string | null;
  waiting: number;
  inProgress: number;
  failing: number;
}

export interface Promotion<R extends ReleaseRef = ReleaseRef> {
  applicationId: string;
  environmentId: string;
  fromEnvironmentId: string | null;
  release: R;
  since: Date;
}

export interface Pipeline<R extends ReleaseRef = ReleaseRef> {
  /** environment ids in pipeline order */
  environmentIds: string[];
  rows: PipelineRow<R>[];
  summary: { waiting: number; inProgress: number; failing: number; promotions: Promotion<R>[] };
}

export const CELL_STATE_META: Record<CellState, StatusMeta> = {
  deploying: { label: "Deploying", tone: "progress", icon: "spinner", description: "A deploy is running now" },
  queued: { label: "Queued", tone: "progress", icon: "clock", description: "A deploy is queued" },
  unknown: {
    label: "Unknown",
    tone: "danger",
    icon: "question",
    description:
      "The last deploy was interrupted: what runs here is unknown until the next deploy or a version check confirms it",
  },
  failed: {
    label: "Deploy failed",
    tone: "danger",
    icon: "cross",
    description: "The last deploy failed; the release before it still runs",
  },
  rolled_back: {
    label: "Rolled back",
    tone: "rollback",
    icon: "undo",
    description: "The last deploy was rolled back to the release before it",
  },
  // what a waiting cell says while its gates are unknown; with them, see waitingMeta
  waiting: {
    label: "Release waiting",
    tone: "neutral",
    icon: "arrow",
    description: "A newer release waits to be promoted here once its gates pass",
  },
  live: { label: "Up to date", tone: "success", icon: "check", description: "Runs the newest release available to it" },
  empty: {
    label: "Never deployed",
    tone: "neutral",
    icon: "circle",
    description: "Nothing has been deployed here yet",
  },
};

/**
 * The badge of a board cell. A release waiting to come in reads "Ready to promote" only when
 * every one of its gates passes, and "Waiting for Approvals, …" otherwise; the other states,
 * and a waiting release whose gates are not known, read as CELL_STATE_META says.
 */
export function cellMeta(state: CellState, gates?: readonly Gate[]): StatusMeta {
  if (state !== "waiting" || !gates) return CELL_STATE_META[state];
  if (gatesPass(gates))
    return {
      label: readinessLabel(gates),
      tone: "info",
      icon: "arrow",
      description: "Every gate passes: it can be promoted now",
    };
  return {
    label: readinessLabel(gates),
    tone: "neutral",
    icon: "clock",
    description: failingGates(gates)
      .map((gate) => `${GATE_LABELS[gate.key]}: ${gate.detail}`)
      .join("; "),
  };
}

/** Gates per board cell (cellKey), as evaluated for the release waiting there. */
export type CellGates = Readonly<Record<string, { releaseId: string; gates: readonly Gate[] }>>;

/** The gates of the release a promotion is about, if they were evaluated for that release. */
export function gatesOf(promotion: Pick<Promotion, "applicationId" | "environmentId" | "release">, gates: CellGates) {
  const found = gates[cellKey(promotion.applicationId, promotion.environmentId)];
  return found?.releaseId === promotion.release.id ? found.gates : undefined;
}

/**
 * Of the releases waiting to be promoted, those that may go now (every gate passes) and those
 * held by a gate; one whose gates are not known counts as held, never as ready.
 */
export function promotionReadiness(
  promotions: readonly Pick<Promotion, "applicationId" | "environmentId" | "release">[],
  gates: CellGates,
): { ready: number; held: number } {
  const ready = promotions.filter((p) => {
    const found = gatesOf(p, gates);
    return found !== undefined && gatesPass(found);
  }).length;
  return { ready, held: promotions.length - ready };
}

/** True when a is a newer release than b. */
export function isNewer(a: ReleaseRef, b: ReleaseRef): boolean {
  const diff = a.createdAt.getTime() - b.createdAt.getTime();
  return diff !== 0 ? diff > 0 : a.id > b.id;
}

export function byPosition<E extends EnvironmentRef>(environments: readonly E[]): E[] {
  return [...environments].sort((a, b) => a.position - b.position);
}

/** "<applicationId>:<environmentId>", the key of a board cell (ids are UUIDs: no colons of their own). */
export const cellKey = (applicationId: string, environmentId: string) => `${applicationId}:${environmentId}`;

function indexByCell<T extends { applicationId: string; environmentId: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [cellKey(item.applicationId, item.environmentId), item]));
}

function stateOf<R extends ReleaseRef>(cell: Omit<PipelineCell<R>, "state">): CellState {
  if (cell.active) return cell.active.status === "queued" ? "queued" : "deploying";
  if (cell.unknown) return "unknown";
  if (cell.failure) return cell.failure.status;
  if (cell.waiting) return "waiting";
  return cell.live ? "live" : "empty";
}

/**
 * Builds the board: per application, per environment (in pipeline order) what runs there, what
 * waits to be promoted into it, what is being deployed and whether the last attempt failed.
 *
 * What waits for an environment is what runs in the one before it, when that is newer than
 * what runs here (an older one means this environment is ahead, e.g. after a hotfix). The
 * first environment waits for the newest release that never ran anywhere, if newer than its own.
 */
export function buildPipeline<R extends ReleaseRef>(input: PipelineInput<R>): Pipeline<R> {
  const environments = byPosition(input.environments);
  const live = indexByCell(input.live);
  const active = indexByCell(input.active);
  const failures = indexByCell(input.failures);
  const interrupted = indexByCell(input.interrupted ?? []);
  const unreleased = new Map(input.unreleased.map((u) => [u.applicationId, u.release]));

  const rows = input.applicationIds.map((applicationId): PipelineRow<R> => {
    const cells: PipelineCell<R>[] = [];
    let previous: PipelineCell<R> | null = null;
    for (const environment of environments) {
      const key = cellKey(applicationId, environment.id);
      const here = live.get(key);
      const current = here ? { deploymentId: here.deploymentId, release: here.release, since: here.finishedAt } : null;

      let waiting: PipelineCell<R>["waiting"] = null;
      if (previous === null) {
        const candidate = unreleased.get(applicationId);
        if (candidate && (!current || isNewer(candidate, current.release)))
          waiting = { release: candidate, since: candidate.createdAt, fromEnvironmentId: null };
      } else if (previous.live && (!current || isNewer(previous.live.release, current.release))) {
        waiting = {
          release: previous.live.release,
          since: previous.live.since,
          fromEnvironmentId: previous.environmentId,
        };
      }

      const failed = failures.get(key);
      const failureMatters =
        failed !== undefined &&
        (!current || failed.finishedAt > current.since || failed.release.id === waiting?.release.id);

      const cut = interrupted.get(key);
      const partial = {
        environmentId: environment.id,
        live: current,
        waiting,
        active: active.get(key) ?? null,
        failure: failureMatters ? failed : null,
        unknown: cut ? { deploymentId: cut.deploymentId, release: cut.release, since: cut.interruptedAt } : null,
      };
      const cell: PipelineCell<R> = { ...partial, state: stateOf(partial) };
      cells.push(cell);
      previous = cell;
    }
    return { applicationId, cells, summary: summarize(cells) };
  });

  const promotions = rows.flatMap((row) =>
    row.cells.flatMap((cell): Promotion<R>[] =>
      cell.state === "waiting" && cell.waiting
        ? [{ applicationId: row.applicationId, environmentId: cell.environmentId, ...cell.waiting }]
        : [],
    ),
  );
  promotions.sort(
    // the promotion closest to production first, then the one waiting longest
    (a, b) =>
      positionOf(environments, b.environmentId) - positionOf(environments, a.environmentId) ||
      a.since.getTime() - b.since.getTime(),
  );

  return {
    environmentIds: environments.map((e) => e.id),
    rows,
    summary: {
      waiting: rows.reduce((n, r) => n + r.summary.waiting, 0),
      inProgress: rows.reduce((n, r) => n + r.summary.inProgress, 0),
      failing: rows.reduce((n, r) => n + r.summary.failing, 0),
      promotions,
    },
  };
}

function positionOf(environments: readonly EnvironmentRef[], id: string): number {
  return environments.find((e) => e.id === id)?.position ?? -1;
}

function summarize(cells: readonly PipelineCell[]): ApplicationSummary {
  const count = (...states: CellState[]) => cells.filter((c) => states.includes(c.state)).length;
  return {
    furthestEnvironmentId: cells.findLast((c) => c.live !== null)?.environmentId ?? null,
    waiting: count("waiting"),
    inProgress: count("deploying", "queued"),
    failing: count("failed", "rolled_back"),
  };
}

// ---------------------------------------------------------------------------------------------
// One release's path through the environments
// ---------------------------------------------------------------------------------------------

export type PathState =
  | "live"
  | "unknown"
  | "superseded"
  | "queued"
  | "running"
  | "paused"
  | "rolling_back"
  | "failed"
  | "rolled_back"
  | "cancelled"
  | "next"
  | "skipped"
  | "not_reached";

export interface PathAttempt {
  id: string;
  environmentId: string;
  status: DeploymentStatus;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface PathStep<A extends PathAttempt, R extends ReleaseRef = ReleaseRef> {
  environmentId: string;
  state: PathState;
  /** the most recent attempt in this environment */
  latest: A | null;
  attempts: number;
  /** what runs in this environment instead, when it is not this release */
  runningInstead: R | null;
  durationMs: number | null;
}

export const PATH_STATE_META: Record<PathState, StatusMeta> = {
  live: { label: "Live", tone: "success", icon: "check", description: "This release runs here now" },
  unknown: {
    label: "Unknown",
    tone: "danger",
    icon: "question",
    description:
      "A deploy here was interrupted: whether this release runs here is unknown until the next deploy or a version check confirms it",
  },
  superseded: {
    label: "Replaced",
    tone: "neutral",
    icon: "dash",
    description: "Ran here, since replaced by another release",
  },
  queued: { label: "Queued", tone: "progress", icon: "clock", description: "A deploy of this release is queued" },
  running: { label: "Deploying", tone: "progress", icon: "spinner", description: "This release is being deployed" },
  paused: {
    label: "Paused",
    tone: "progress",
    icon: "pause",
    description: "Rolled out part of the way here; waiting before the next traffic step",
  },
  rolling_back: {
    label: "Rolling back",
    tone: "rollback",
    icon: "rewind",
    description: "The previous release is being put back here",
  },
  failed: { label: "Failed", tone: "danger", icon: "cross", description: "The last deploy of this release failed" },
  rolled_back: {
    label: "Rolled back",
    tone: "rollback",
    icon: "undo",
    description: "This release was rolled back here",
  },
  cancelled: {
    label: "Cancelled",
    tone: "neutral",
    icon: "slash",
    description: "The deploy was stopped before it finished",
  },
  // the next stage, not a promise: whether it may go there now is for its gates to say
  next: {
    label: "Next stage",
    tone: "info",
    icon: "arrow",
    description: "The next stage this release can be promoted to, once its gates pass",
  },
  skipped: { label: "Skipped", tone: "neutral", icon: "skip", description: "A newer release went here instead" },
  not_reached: {
    label: "Not reached",
    tone: "neutral",
    icon: "circle",
    description: "This release has not got this far",
  },
};

/** How long a finished deployment took, from start (or queueing) to end. */
export function durationOf(attempt: Pick<PathAttempt, "queuedAt" | "startedAt" | "finishedAt">): number | null {
  if (!attempt.finishedAt) return null;
  return Math.max(0, attempt.finishedAt.getTime() - (attempt.startedAt ?? attempt.queuedAt).getTime());
}

/**
 * The release's path: per environment in pipeline order, whether it runs there, ran there and
 * was replaced, is being deployed, failed, or has not got there. `live` maps environment id to
 * the release running there for the same application. A stage it never reached that runs a
 * newer release was skipped; otherwise the first stage it has not reached is "next" when the
 * stage before runs it now (or it is the first stage and runs something older), as on the board.
 */
export function releasePath<A extends PathAttempt, R extends ReleaseRef>(input: {
  release: ReleaseRef;
  environments: readonly EnvironmentRef[];
  attempts: readonly A[];
  live: ReadonlyMap<string, R>;
  /** environment id → the interrupted deployment that left what runs there unknown */
  unknown?: ReadonlyMap<string, { deploymentId: string }>;
}): PathStep<A, R>[] {
  const steps: PathStep<A, R>[] = [];
  let previousRunsIt = true;
  for (const environment of byPosition(input.environments)) {
    const attempts = input.attempts
      .filter((a) => a.environmentId === environment.id)
      .sort((a, b) => b.queuedAt.getTime() - a.queuedAt.getTime() || (b.id > a.id ? 1 : -1));
    const latest = attempts[0] ?? null;
    const current = input.live.get(environment.id) ?? null;
    const isLive = current?.id === input.release.id;

    const cut = input.unknown?.get(environment.id);
    // this release ran here before an interrupted deploy, or was that deploy: nobody knows now
    const unknownHere = cut !== undefined && (isLive || latest?.id === cut.deploymentId);

    let state: PathState;
    if (unknownHere && !(latest && isActiveStatus(latest.status))) state = "unknown";
    else if (isLive && !(latest && isActiveStatus(latest.status))) state = "live";
    else if (latest) state = latest.status === "succeeded" ? "superseded" : latest.status;
    else if (current && isNewer(current, input.release)) state = "skipped";
    else if (previousRunsIt) state = "next";
    else state = "not_reached";

    steps.push({
      environmentId: environment.id,
      state,
      latest,
      attempts: attempts.length,
      // after an interrupted deploy, what ran before is no longer known to run
      runningInstead: current && !isLive && !cut ? current : null,
      durationMs: latest ? durationOf(latest) : null,
    });
    // promotion takes what the stage before runs now: a release replaced there is no longer the candidate
    previousRunsIt = isLive;
  }
  return steps;
}
