import { Octokit } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { RequestError } from "@octokit/request-error";

// The official Octokit client with GitHub's recommended retry and throttling plugins: rate limits
// (403/429 with x-ratelimit-reset or retry-after) wait as GitHub says, 5xx and connection errors
// are tried again with a growing pause. Both are bounded by the step's deadline and stopped by
// its signal: the plugins' own waits cannot be interrupted, so every call races them.

const GitHub = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

export interface ClientOptions {
  baseUrl: string;
  token: string;
  /** epoch ms after which no further wait is worth it */
  deadline: number;
  signal: AbortSignal;
  say: (text: string) => Promise<void>;
  /** the retry plugin's unit: pauses are 1, 4, 9 × this (ms) */
  retryBaseMs: number;
}

const RATE_LIMIT_RETRIES = 3;

export function gitHubClient(options: ClientOptions): GitHubClient {
  const wantsRetry =
    (kind: string) => (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
      if (options.signal.aborted || retryCount >= RATE_LIMIT_RETRIES) return false;
      if (Date.now() + retryAfter * 1000 >= options.deadline) return false;
      void options.say(
        `GitHub's ${kind} rate limit is reached: waiting ${retryAfter} s as GitHub asks, then trying again`,
      );
      return true;
    };
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: "Greenlight",
    request: { signal: options.signal },
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => console.warn(m),
      error: (m: string) => console.error(m),
    },
    // rate limits belong to the throttling plugin, which honours GitHub's own wait
    retry: {
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      retries: 3,
      retryAfterBaseValue: options.retryBaseMs,
    },
    throttle: { onRateLimit: wantsRetry("primary"), onSecondaryRateLimit: wantsRetry("secondary") },
  });
}

export class Stopped extends Error {}

/**
 * Runs one client call, giving up when the signal aborts or the deadline passes even while a
 * plugin waits. The abandoned call finds the aborted signal when it wakes and sends nothing.
 */
export function bounded<T>(call: Promise<T>, signal: AbortSignal, deadline: number): Promise<T> {
  call.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const stop = (why: string) => {
      cleanup();
      reject(new Stopped(why));
    };
    const onAbort = () => stop("cancelled");
    const timer = setTimeout(() => stop("deadline"), Math.max(0, deadline - Date.now()));
    const cleanup = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    call.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (e: unknown) => {
        cleanup();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A sentence for people from a failed GitHub call: what GitHub said and what to check. */
export function describeGitHubError(e: unknown, what: string, repo: string, tokenVar: string): string {
  if (!(e instanceof RequestError)) return `${what} failed: ${(e as Error).message}`;
  const said = e.message.replace(/ - https?:\/\/\S+$/, "").trim();
  const headers = e.response?.headers ?? {};
  switch (e.status) {
    case 401:
      return `GitHub refused the token in ${tokenVar} (401 ${said}): check that it is valid and not expired`;
    case 403:
    case 429:
      if (
        headers["x-ratelimit-remaining"] === "0" ||
        headers["retry-after"] !== undefined ||
        /rate limit/i.test(said)
      ) {
        const reset = Number(headers["x-ratelimit-reset"]);
        const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
        return `GitHub's rate limit for the token in ${tokenVar} is reached${when}, beyond this step's deadline: ${said}`;
      }
      return `GitHub refused ${what} in ${repo} (${e.status} ${said}): the token in ${tokenVar} needs the Actions read and write permission on ${repo}`;
    case 404:
      return `GitHub found nothing for ${what} in ${repo} (404): check the owner, repository and workflow, and that the token in ${tokenVar} can see ${repo}`;
    case 422:
      return `GitHub refused ${what} in ${repo} (422 ${said}): check that the ref exists and that the workflow has a workflow_dispatch trigger declaring Greenlight's inputs`;
    default:
      if (e.status >= 500 && e.response === undefined) return `Could not reach GitHub for ${what}: ${said}`;
      return `GitHub answered ${e.status} to ${what} in ${repo}${e.status >= 500 ? " after several tries" : ""}: ${said}`;
  }
}
