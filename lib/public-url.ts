// The address people use to reach Greenlight (GREENLIGHT_URL, e.g. https://greenlight.example.com).
// Sign-in callbacks, links in messages and the same-origin check of server actions are built
// from it, never from a request's Host or X-Forwarded-* headers. Required on PostgreSQL (checked
// at start-up like AUTH_SECRET); with the embedded database it defaults to http://localhost:PORT.

/** The configured public URL, without a trailing slash, or null when none is set. */
export function configuredPublicUrl(env: NodeJS.ProcessEnv = process.env): URL | null {
  const raw = env.GREENLIGHT_URL?.trim();
  if (!raw) return null;
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("GREENLIGHT_URL must be an http(s) URL");
  return url;
}

/** The public URL in force: GREENLIGHT_URL, else http://localhost:PORT. */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): URL {
  return configuredPublicUrl(env) ?? new URL(`http://localhost:${env.PORT ?? "3000"}`);
}
