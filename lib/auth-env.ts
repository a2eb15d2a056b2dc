import { z } from "zod";

// Sign-in settings from the environment, parsed once; each single sign-on method is on when
// its variables are set (README: Sign-in).

const schema = z.object({
  AUTH_OIDC_ISSUER: z.url().optional(),
  AUTH_OIDC_ID: z.string().min(1).optional(),
  AUTH_OIDC_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_NAME: z.string().min(1).default("Single sign-on"),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  AUTH_SSO_GROUPS_CLAIM: z.string().min(1).default("groups"),
  /** "platform-admins=admin,release-managers=product_owner" */
  AUTH_SSO_GROUP_ROLES: z.string().default(""),
});

export interface AuthEnv {
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
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
