import { retryDelaySeconds } from "@/lib/domain/notifications";

// How hard the delivery worker tries: per-attempt timeout and the wait before each retry. The
// worker reads them from the environment (lib/env.ts); tests pass short ones.

export interface DeliveryOptions {
  /** how long one attempt may take (connect, send, answer) */
  timeoutMs: number;
  /** seconds to wait after failed attempt `attempt` (1-based) before the next */
  retryDelaySeconds: (attempt: number) => number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  timeoutMs: 10_000,
  retryDelaySeconds,
};

/** A delivery pending this long past its time lost its job: the reconciler sends another. */
export const LOST_JOB_SECONDS = 60;
/** A delivery `sending` this long lost its worker mid-attempt: failed, never sent twice. */
export const STALE_SENDING_SECONDS = 5 * 60;

export const INTERRUPTED_DELIVERY = "interrupted: it may or may not have arrived";
