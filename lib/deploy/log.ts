import type { LogSink } from "./provider";

/**
 * Writes Greenlight's own lines to a deploy log in order. A sink that fails does not fail the
 * step: the remote work has already been asked for, so its outcome must still be reported.
 */
export function systemLog(sink: LogSink): (text: string) => Promise<void> {
  return async (text) => {
    try {
      await sink({ stream: "system", text, at: new Date() });
    } catch (e) {
      console.error(`deploy log: could not write a line: ${(e as Error).message}`);
    }
  };
}

/** Waits, or stops waiting early when the signal aborts (resolves either way). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A URL as it may appear in a log or a message: no query string or fragment, which can hold tokens. */
export function shownUrl(url: string | URL): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
