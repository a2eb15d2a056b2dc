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
