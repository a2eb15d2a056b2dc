// The rollout vocabulary: how a release replaces what runs in an environment, in which traffic
// steps, with which pauses, watched by which health checks. One home for these names: the
// environment settings, the presets, the deploy providers and the deploy worker all use them.
// Pure: no database, no framework.

export const ROLLOUT_STRATEGIES = ["direct", "blue_green", "canary"] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

export const STRATEGY_LABELS: Record<RolloutStrategy, string> = {
  direct: "Direct",
  blue_green: "Blue-green",
  canary: "Canary",
};

export function isRolloutStrategy(value: string): value is RolloutStrategy {
  return (ROLLOUT_STRATEGIES as readonly string[]).includes(value);
}

/** One traffic step of a canary or a blue-green switch. */
export interface RolloutStep {
  /** share of traffic on the new version once this step is reached (0–100) */
  percent: number;
  /** how long to wait, watching health, before the next step */
  pauseSeconds: number;
}

/** The health checks made against the environment's URL during and after a rollout. */
export interface HealthCheckSettings {
  /** path on the environment's URL, e.g. /healthz; null: no HTTP check */
  path: string | null;
  intervalSeconds: number;
  /** consecutive failed checks that trigger an automatic rollback */
  failureThreshold: number;
  /** automatic rollback above this error rate (percent); null: not watched */
  errorRateThresholdPercent: number | null;
}

export const DEFAULT_HEALTH_CHECK: HealthCheckSettings = {
  path: null,
  intervalSeconds: 30,
  failureThreshold: 3,
  errorRateThresholdPercent: null,
};

export const MAX_ROLLOUT_STEPS = 20;
/** a day: a pause longer than that is a forgotten rollout, not a plan */
export const MAX_PAUSE_SECONDS = 24 * 3600;

/**
 * Rollout steps stored as free JSON, read leniently: the well-formed steps are kept, anything
 * else is dropped, so one bad value never breaks every page that shows the environment.
 */
export function parseRolloutSteps(json: unknown): RolloutStep[] {
  if (!Array.isArray(json)) return [];
  const steps: RolloutStep[] = [];
  for (const raw of json) {
    if (typeof raw !== "object" || raw === null) continue;
    const { percent, pauseSeconds } = raw as { percent?: unknown; pauseSeconds?: unknown };
    if (typeof percent !== "number" || !Number.isFinite(percent) || percent < 0 || percent > 100) continue;
    const pause =
      typeof pauseSeconds === "number" && Number.isFinite(pauseSeconds) && pauseSeconds >= 0 ? pauseSeconds : 0;
    steps.push({ percent, pauseSeconds: pause });
  }
  return steps;
}

/** Why a list of steps cannot be a rollout plan, or null when it can. */
export function rolloutStepsProblem(steps: readonly RolloutStep[]): string | null {
  if (steps.length > MAX_ROLLOUT_STEPS) return `At most ${MAX_ROLLOUT_STEPS} steps`;
  let last = 0;
  for (const [i, step] of steps.entries()) {
    if (!Number.isInteger(step.percent) || step.percent < 1 || step.percent > 100)
      return `Step ${i + 1}: traffic must be a whole percentage from 1 to 100`;
    if (step.percent <= last) return `Step ${i + 1}: each step must send more traffic than the one before`;
    if (!Number.isInteger(step.pauseSeconds) || step.pauseSeconds < 0 || step.pauseSeconds > MAX_PAUSE_SECONDS)
      return `Step ${i + 1}: the pause must be between 0 and ${MAX_PAUSE_SECONDS} seconds`;
    last = step.percent;
  }
  return null;
}

/**
 * The traffic steps a deployment goes through. A direct deploy is one step to 100 %; blue-green
 * and canary follow the environment's steps and always end at 100 % (a plan that stops short
 * gets a final full step), so every successful rollout leaves the new version taking all traffic.
 */
export function rolloutPlan(strategy: RolloutStrategy, steps: readonly RolloutStep[]): RolloutStep[] {
  if (strategy === "direct" || steps.length === 0) return [{ percent: 100, pauseSeconds: 0 }];
  const plan = steps.map((s) => ({ ...s }));
  const last = plan[plan.length - 1];
  if (!last || last.percent < 100) plan.push({ percent: 100, pauseSeconds: 0 });
  return plan;
}
