// How long a password sign-in must wait after failures: growing delays, never a hard lock-out.
// Three counters, each with its own allowance of free failures; past it, the next attempt
// waits 2^(failures - free) seconds after the latest failure, up to a cap:
//
// - this address and this account: someone guessing one password from one place is slowed at once;
// - this account from anywhere: guesses spread over many addresses are slowed too, but later,
//   so that strangers' failures alone take longer to get in the owner's way (and the owner's
//   password with a second factor passes anyway: lib/data/identity/sign-in.ts);
// - this address for any account: a sweep over many accounts, capped at a minute, so that a
//   colleague behind the same address is held up briefly, never for long.
//
// A successful sign-in starts the account's counter again, and the address-and-account one
// for that address (someone else's success elsewhere gives a guesser no fresh allowance); the
// address's counter does not start again.

export type ThrottleScope = "address_account" | "account" | "address";

export interface DelayRule {
  free: number;
  capSeconds: number;
}

export const SIGN_IN_DELAYS: Record<ThrottleScope, DelayRule> = {
  address_account: { free: 3, capSeconds: 15 * 60 },
  account: { free: 5, capSeconds: 15 * 60 },
  address: { free: 10, capSeconds: 60 },
};

/** Failures further back than this are forgotten. */
export const FAILURE_WINDOW_MINUTES = 60;

export interface FailureCount {
  failures: number;
  /** how long ago the latest counted failure was, null when none is counted */
  secondsAgo: number | null;
}

/** Seconds to wait after the latest failure, for this many failures under this rule. */
export function delaySeconds(failures: number, rule: DelayRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.capSeconds, 2 ** (failures - rule.free));
}

export interface Wait {
  /** whole seconds until an attempt is heard again; 0 when it is heard now */
  retryAfterSeconds: number;
  /** the counter that holds it up longest, when one does */
  scope: ThrottleScope | null;
  failures: number;
}

/** The longest wait any counter imposes now. */
export function waitFor(counts: Record<ThrottleScope, FailureCount>): Wait {
  let wait: Wait = { retryAfterSeconds: 0, scope: null, failures: 0 };
  for (const scope of Object.keys(SIGN_IN_DELAYS) as ThrottleScope[]) {
    const { failures, secondsAgo } = counts[scope];
    if (secondsAgo === null) continue;
    const seconds = Math.ceil(delaySeconds(failures, SIGN_IN_DELAYS[scope]) - secondsAgo);
    if (seconds > wait.retryAfterSeconds) wait = { retryAfterSeconds: seconds, scope, failures };
  }
  return wait;
}
