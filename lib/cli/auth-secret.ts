import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The secret that signs session cookies. Taken from AUTH_SECRET; with the embedded database (a
 * demo or a laptop) one is generated on first start and kept in the data folder, so sessions
 * survive restarts. With a PostgreSQL server it must be given: several instances must share
 * it, and a secret on one machine's disk would sign everyone out when another one answers.
 */
export function resolveAuthSecret(options: { embedded: boolean; dataDir: string }): string {
  const given = process.env.AUTH_SECRET;
  if (given) {
    if (given.length < 32)
      throw new AuthSecretError("AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 32)");
    return given;
  }
  if (!options.embedded)
    throw new AuthSecretError(
      "AUTH_SECRET is not set: it signs session cookies and every instance needs the same one (try: openssl rand -base64 32)",
    );
  const file = path.join(options.dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export class AuthSecretError extends Error {}

/**
 * The address people use to reach Greenlight (GREENLIGHT_URL): Auth.js builds every sign-in URL
 * from it (lib/auth-env.ts), whatever host a request names. With the embedded database it
 * defaults to http://localhost:PORT; with a PostgreSQL server it must be given, since the
 * server's own name is rarely the one people type. AUTH_URL, which Auth.js would read, is set
 * from it; one set by hand must agree.
 */
export function resolvePublicUrl(options: { embedded: boolean; port: number; configured?: string }): URL {
  if (!options.configured && !options.embedded)
    throw new AuthSecretError(
      "GREENLIGHT_URL is not set: the address people use to reach Greenlight, e.g. https://greenlight.example.com (sign-in callbacks are built from it)",
    );
  const url = new URL(options.configured ?? `http://localhost:${options.port}`);
  const authUrl = process.env.AUTH_URL;
  if (authUrl && URL.parse(authUrl)?.origin !== url.origin)
    throw new AuthSecretError(
      `AUTH_URL (${authUrl}) disagrees with GREENLIGHT_URL (${url.origin}): remove AUTH_URL, Greenlight sets it from GREENLIGHT_URL`,
    );
  return url;
}
