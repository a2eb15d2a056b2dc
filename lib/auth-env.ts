import { z } from "zod";
import { publicUrl } from "./public-url";

// Sign-in settings from the environment, parsed once; each single sign-on method is on when
// its variables are set (README: Sign-in).

const schema = z.object({
  AUTH_OIDC_ISSUER: z.url().optional(),
  AUTH_OIDC_ID: z.string().min(1).optional(),
  AUTH_OIDC_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_NAME: z.string().min(1).default("Single sign-on"),
  /** scopes asked of the provider; some only share groups under a scope of their own ("groups") */
  AUTH_OIDC_SCOPE: z.string().trim().min(1).default("openid email profile"),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  AUTH_SSO_GROUPS_CLAIM: z.string().min(1).default("groups"),
  /** "platform-admins=admin,release-managers=product_owner" */
  AUTH_SSO_GROUP_ROLES: z.string().default(""),
});

export interface AuthEnv {
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string; scope: string } | null;
  github: { clientId: string; clientSecret: string } | null;
  groupsClaim: string;
  groupRoles: Map<string, string[]>;
}

export function parseGroupRoles(value: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const pair of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [group, role] = pair.split("=").map((s) => s.trim());
    if (!group || !role) throw new Error(`AUTH_SSO_GROUP_ROLES: "${pair}" is not group=role`);
    map.set(group, [...(map.get(group) ?? []), role]);
  }
  return map;
}

let cached: AuthEnv | undefined;
export function authEnv(): AuthEnv {
  if (cached) return cached;
  const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${issue.path.join(".")}: ${issue.message}`);
  }
  const e = result.data;
  const both = (a?: string, b?: string, names = "") => {
    if (Boolean(a) !== Boolean(b)) throw new Error(`set both ${names} or neither`);
    return Boolean(a && b);
  };
  const oidc = both(e.AUTH_OIDC_ID, e.AUTH_OIDC_SECRET, "AUTH_OIDC_ID and AUTH_OIDC_SECRET") && e.AUTH_OIDC_ISSUER;
  cached = {
    oidc: oidc
      ? {
          issuer: e.AUTH_OIDC_ISSUER!,
          clientId: e.AUTH_OIDC_ID!,
          clientSecret: e.AUTH_OIDC_SECRET!,
          name: e.AUTH_OIDC_NAME,
          scope: e.AUTH_OIDC_SCOPE.split(/\s+/).includes("openid") ? e.AUTH_OIDC_SCOPE : `openid ${e.AUTH_OIDC_SCOPE}`,
        }
      : null,
    github: both(e.AUTH_GITHUB_ID, e.AUTH_GITHUB_SECRET, "AUTH_GITHUB_ID and AUTH_GITHUB_SECRET")
      ? { clientId: e.AUTH_GITHUB_ID!, clientSecret: e.AUTH_GITHUB_SECRET! }
      : null,
    groupsClaim: e.AUTH_SSO_GROUPS_CLAIM,
    groupRoles: parseGroupRoles(e.AUTH_SSO_GROUP_ROLES),
  };
  return cached;
}

/**
 * Makes GREENLIGHT_URL the origin of every URL Auth.js builds (authorization redirect_uri,
 * callback, sign-in and sign-out redirects): next-auth reads AUTH_URL for the server actions'
 * URLs and rewrites each request to its endpoints onto it. Without this, the action would use
 * the Host the browser sent and the callback the address Next listens on (localhost), and the
 * provider would refuse the token exchange.
 */
export function applyPublicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const origin = publicUrl(env).origin;
  env.AUTH_URL = origin;
  return origin;
}
