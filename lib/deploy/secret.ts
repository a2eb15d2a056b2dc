// Secrets reach providers by the NAME of an environment variable, read at use time. A target is
// configured by people with environment.manage, who must not be able to point a provider at
// Greenlight's own settings: a GitHub target with a base URL of their choosing would otherwise
// receive DATABASE_URL or AUTH_SECRET as its token.

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const OWN_PREFIXES = ["GREENLIGHT_", "AUTH_", "NEXTAUTH_", "NEXT_", "NODE_", "NPM_", "PG", "DATABASE_", "PRISMA_"];
const OWN_NAMES = new Set(["PATH", "HOME", "PORT", "HOSTNAME", "LANG", "SHELL", "USER", "PWD", "TZ"]);

/** A sentence saying why this name cannot hold a target's secret, or null when it can. */
export function secretEnvVarProblem(name: string): string | null {
  if (!ENV_NAME.test(name))
    return "Not a valid environment variable name: use letters, digits and underscores, not starting with a digit";
  const upper = name.toUpperCase();
  if (OWN_NAMES.has(upper) || upper.includes("DATABASE_URL") || OWN_PREFIXES.some((p) => upper.startsWith(p)))
    return `${name} is one of Greenlight's own settings; name a variable that holds only this target's secret`;
  return null;
}

/** The secret's value now, or a sentence for the deploy log saying what to set. */
export function readSecret(
  name: string | null | undefined,
): { ok: true; value: string } | { ok: false; reason: string } {
  if (!name) return { ok: false, reason: "no secret environment variable is configured for this target" };
  const problem = secretEnvVarProblem(name);
  if (problem) return { ok: false, reason: problem };
  const value = process.env[name];
  if (!value || value.trim() === "")
    return { ok: false, reason: `secret environment variable ${name} is not set on the Greenlight server` };
  return { ok: true, value };
}
