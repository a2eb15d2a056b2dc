// The URLs a deploy provider reports with a successful step: where the live service answers
// (`url`) and where the colour the release was just deployed to answers (`previewUrl`, before
// any traffic reaches it). Health checks written as paths resolve against them, and the
// deployment page links to them, so only a plain absolute http(s) URL is taken: anything else a
// provider says is ignored, never stored.

export const MAX_REPORTED_URL = 2000;

export interface ReportedUrls {
  url?: string;
  previewUrl?: string;
}

/** `value` as an absolute http(s) URL without credentials, or null. */
export function reportedUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (text === "" || text.length > MAX_REPORTED_URL || /[\s\p{C}]/u.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  // a password in a stored URL would be a secret on a page everyone in the environment sees
  if (url.username || url.password) return null;
  return url.href;
}

/** The usable ones of the URLs a receiver's JSON said (webhook replies and callbacks); the rest dropped. */
export function reportedUrls(said: { url?: unknown; previewUrl?: unknown }): ReportedUrls {
  const url = reportedUrl(said.url);
  const previewUrl = reportedUrl(said.previewUrl);
  return { ...(url ? { url } : {}), ...(previewUrl ? { previewUrl } : {}) };
}

/**
 * The command provider's machine-readable stdout lines: `greenlight: url=<url>` and
 * `greenlight: preview-url=<url>` (the prefix exactly so, at the start of the line; spaces
 * around the URL ignored). Returns what the line reports, `invalid` for such a line whose URL is
 * not usable, or null for any other line.
 */
export function parseUrlLine(line: string): { key: keyof ReportedUrls; url: string } | { invalid: string } | null {
  const match = /^greenlight: (url|preview-url)=(.*)$/.exec(line);
  if (!match) return null;
  const [, name = "", value = ""] = match;
  const url = reportedUrl(value);
  if (url === null) return { invalid: `${name}: "${value.trim().slice(0, 200)}" is not an http(s) URL` };
  return { key: name === "url" ? "url" : "previewUrl", url };
}
