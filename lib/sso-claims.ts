// What an OpenID Connect sign-in says about the person, from the ID token and, where it is
// silent, the provider's userinfo endpoint. Many providers (and the spec, OIDC Core 5.4, for
// claims asked for by scope in the code flow) put email and groups only in userinfo, so an ID
// token without them is normal, not a refusal.

export type Claims = Record<string, unknown>;

export interface SsoClaims {
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : null);
// some providers send the boolean as a string
const yes = (value: unknown): boolean => value === true || value === "true";
const groupsIn = (value: unknown): string[] | null =>
  Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : null;

/** Does the ID token leave out something userinfo may hold? */
export function needsUserinfo(idToken: Claims | undefined, groupsClaim: string): boolean {
  return !text(idToken?.email) || groupsIn(idToken?.[groupsClaim]) === null;
}

/**
 * The ID token's word first. Email and its verification come together from one source, so an
 * unverified address in one is never paired with "verified" from the other.
 */
export function mergeClaims(idToken: Claims | undefined, userinfo: Claims | null, groupsClaim: string): SsoClaims {
  const emailSource = text(idToken?.email) ? idToken : text(userinfo?.email) ? userinfo : null;
  return {
    email: text(emailSource?.email),
    emailVerified: yes(emailSource?.email_verified),
    name: text(idToken?.name) ?? text(userinfo?.name),
    groups: groupsIn(idToken?.[groupsClaim]) ?? groupsIn(userinfo?.[groupsClaim]) ?? [],
  };
}

const endpoints = new Map<string, Promise<string | null>>();

async function userinfoEndpoint(issuer: string, fetcher: typeof fetch): Promise<string | null> {
  const response = await fetcher(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const body = (await response.json()) as { userinfo_endpoint?: unknown };
  return typeof body.userinfo_endpoint === "string" ? body.userinfo_endpoint : null;
}

/**
 * The provider's userinfo for this access token, or null when it has none to give. Its `sub`
 * must be the ID token's (OIDC Core 5.3.2): anything else is not about this person.
 */
export async function fetchUserinfo(
  issuer: string,
  accessToken: string,
  subject: string,
  fetcher: typeof fetch = fetch,
): Promise<Claims | null> {
  let endpoint = endpoints.get(issuer);
  if (!endpoint) {
    endpoint = userinfoEndpoint(issuer, fetcher);
    endpoints.set(issuer, endpoint);
    // a failed discovery is tried again at the next sign-in
    endpoint.catch(() => endpoints.delete(issuer));
  }
  const url = await endpoint;
  if (!url) return null;
  const response = await fetcher(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
  // a signed or encrypted userinfo (application/jwt) is not read
  if (!(response.headers.get("content-type") ?? "").includes("json")) return null;
  const body = (await response.json()) as Claims;
  if (body.sub !== subject) throw new Error("userinfo is about another subject than the ID token");
  return body;
}
