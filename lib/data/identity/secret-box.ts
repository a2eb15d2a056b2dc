import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Secrets Greenlight must keep to check later (an authenticator app's TOTP seed) are stored
// sealed: AES-256-GCM under a key derived from AUTH_SECRET (HKDF-SHA256, one key per purpose).
// A copy of the database alone does not reveal them. Changing AUTH_SECRET makes them unreadable:
// people enrol again (an admin can reset their factor).

function keyFor(purpose: string): Buffer {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set: it also seals second-factor secrets");
  return Buffer.from(hkdfSync("sha256", secret, "greenlight", `greenlight ${purpose}`, 32));
}

/** "v1.<iv>.<tag>.<ciphertext>", each base64url. */
export function seal(purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The plaintext, or null when the box was sealed under another key or tampered with. */
export function open(purpose: string, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
