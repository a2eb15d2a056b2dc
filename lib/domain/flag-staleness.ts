import type { FlagRuleSet } from "./flag-evaluation";

// When a flag has outlived its use (issue 11): it is on for everyone in every environment (the
// code path behind it is the only one left: time to remove the flag from the code), or no
// application asked for it for `days` days. Pure: lib/data/flags/grid.ts gives it the flag's
// states in every environment and its last evaluation (lib/data/flags/seen.ts records them).

export const DEFAULT_STALE_FLAG_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface StalenessFacts {
  createdAt: Date;
  /** the flag's state in every environment there is; a missing state is off */
  states: (FlagRuleSet | null)[];
  /** the latest evaluation in any environment; null: never evaluated */
  lastEvaluatedAt: Date | null;
}

/** Everyone gets true without a context: enabled, no share below 100 %, no rules. */
export function onForEveryone(state: FlagRuleSet | null): boolean {
  return (
    state !== null &&
    state.enabled &&
    (state.rolloutPercent === null || state.rolloutPercent >= 100) &&
    state.rules.length === 0
  );
}

/** Why the flag is stale, in words; null when it is not. */
export function staleReason(flag: StalenessFacts, now: Date, days: number): string | null {
  if (flag.states.length > 0 && flag.states.every(onForEveryone))
    return "On for everyone in every environment: time to remove it from the code";
  const cutoff = now.getTime() - days * DAY_MS;
  const period = `${days} day${days === 1 ? "" : "s"}`;
  if (flag.lastEvaluatedAt === null)
    return flag.createdAt.getTime() < cutoff ? `Never evaluated, and created more than ${period} ago` : null;
  if (flag.lastEvaluatedAt.getTime() < cutoff)
    return `Not evaluated in any environment for ${period} (last on ${flag.lastEvaluatedAt.toISOString().slice(0, 10)})`;
  return null;
}
