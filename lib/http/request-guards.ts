import { configuredPublicUrl, publicUrl } from "@/lib/public-url";

// Checks proxy.ts makes on every request before a page or action runs: pure functions of the
// request, with no session and no database.

/** Whether the raw (still encoded) path decodes, and to something without a NUL. */
export function decodablePath(pathname: string): boolean {
  try {
    return !decodeURIComponent(pathname).includes("\0");
  } catch {
    return false;
  }
}

/**
 * Origins a server action may come from: the public URL's (GREENLIGHT_URL); without one also
 * the address the request was sent to, so http://127.0.0.1:3000 works as well as localhost.
 */
export function actionOrigins(request: Request, env: NodeJS.ProcessEnv = process.env): string[] {
  const origins = [publicUrl(env).origin];
  const host = request.headers.get("host");
  if (configuredPublicUrl(env) === null && host) origins.push(`${new URL(request.url).protocol}//${host}`);
  return origins;
}

/**
 * A server action (a POST with a Next-Action header) whose Origin names another site. Without
 * an Origin header it is no browser's cross-site post, and Next's own check still runs.
 */
export function foreignAction(request: Request, env: NodeJS.ProcessEnv = process.env): boolean {
  if (request.method !== "POST" || !request.headers.has("next-action")) return false;
  const origin = request.headers.get("origin");
  return origin !== null && !actionOrigins(request, env).includes(origin);
}
