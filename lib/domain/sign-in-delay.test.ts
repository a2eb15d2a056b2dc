import { describe, expect, it } from "vitest";
import { delaySeconds, SIGN_IN_DELAYS, waitFor, type FailureCount, type ThrottleScope } from "./sign-in-delay";

const none: FailureCount = { failures: 0, secondsAgo: null };
const counts = (c: Partial<Record<ThrottleScope, FailureCount>>) => ({
  address_account: none,
  account: none,
  address: none,
  ...c,
});

describe("sign-in delays", () => {
  it("grow 1, 2, 4 … seconds past the free failures, up to the cap", () => {
    const rule = SIGN_IN_DELAYS.address_account;
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => delaySeconds(n, rule))).toEqual([0, 0, 0, 1, 2, 4, 8]);
    expect(delaySeconds(40, rule)).toBe(15 * 60);
    expect(delaySeconds(40, SIGN_IN_DELAYS.address)).toBe(60);
  });

  it("waits from the latest failure, and answers with the counter that waits longest", () => {
    expect(waitFor(counts({ address_account: { failures: 5, secondsAgo: 1.5 } }))).toEqual({
      retryAfterSeconds: 3,
      scope: "address_account",
      failures: 5,
    });
    expect(waitFor(counts({ address_account: { failures: 5, secondsAgo: 4 } })).retryAfterSeconds).toBe(0);
    expect(
      waitFor(
        counts({
          address_account: { failures: 4, secondsAgo: 0 },
          account: { failures: 15, secondsAgo: 10 },
          address: { failures: 30, secondsAgo: 0 },
        }),
      ),
    ).toEqual({ retryAfterSeconds: 15 * 60 - 10, scope: "account", failures: 15 });
  });

  it("never waits for failures under the allowance", () => {
    expect(
      waitFor(counts({ address_account: { failures: 2, secondsAgo: 0 }, address: { failures: 9, secondsAgo: 0 } })),
    ).toEqual({ retryAfterSeconds: 0, scope: null, failures: 0 });
  });

  it("holds a colleague behind a busy address for at most a minute", () => {
    const colleague = waitFor(counts({ address: { failures: 500, secondsAgo: 0 } }));
    expect(colleague.retryAfterSeconds).toBe(60);
  });
});
