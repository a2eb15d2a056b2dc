import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { headers } from "next/headers";
import { z } from "zod";
import { applyPublicUrl, authEnv } from "./auth-env";
import { clientIp } from "./client-ip";
import { signInWithPassword } from "./data/identity/sign-in";
import { openSession, SESSION_MAX_AGE_SECONDS, type SignInMethod } from "./data/identity/sessions";
import { signInWithSso } from "./data/identity/sso";
import { fetchUserinfo, mergeClaims, needsUserinfo, type Claims, type SsoClaims } from "./sso-claims";

// before NextAuth reads its settings: every URL it builds starts with GREENLIGHT_URL
applyPublicUrl();

declare module "next-auth" {
  interface Session {
    /** the server-side session this cookie names (lib/data/identity/sessions.ts) */
    sessionId?: string;
  }
}

// Auth.js: email + password for built-in users, plus single sign-on through any OpenID Connect
// provider and GitHub, each switched on by its environment variables (README: Sign-in).
// Sessions are signed JWT cookies naming a server-side session; who the user is and may do is
// read from the database on every request (lib/data/actors/load.ts), so deactivation and
// matrix changes apply at once. Every URL is built from GREENLIGHT_URL (lib/auth-env.ts).

class Throttled extends CredentialsSignin {
  override code = "throttled";
}

const credentialsInput = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
  // an authenticator or recovery code: lets the right password through a throttled account
  code: z
    .string()
    .trim()
    .max(32)
    .optional()
    .transform((c) => c || undefined),
});

function providers(): Provider[] {
  const env = authEnv();
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        code: { label: "Authentication code", type: "text" },
      },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password, code } = parsed.data;
        const result = await signInWithPassword({
          email,
          password,
          secondFactorCode: code,
          ip: clientIp(request.headers),
        });
        if (result.ok) return { ...result.user, secondFactor: result.secondFactor };
        if (result.reason === "throttled") throw new Throttled();
        return null;
      },
    }),
  ];
  if (env.oidc)
    list.push({
      id: "oidc",
      name: env.oidc.name,
      type: "oidc",
      issuer: env.oidc.issuer,
      clientId: env.oidc.clientId,
      clientSecret: env.oidc.clientSecret,
      authorization: { params: { scope: env.oidc.scope } },
    });
  if (env.github) list.push(GitHub({ clientId: env.github.clientId, clientSecret: env.github.clientSecret }));
  return list;
}

/** The person as the provider describes them: the ID token, completed from userinfo (OIDC). */
async function claimsOf(
  provider: string,
  profile: Claims | undefined,
  accessToken: string | undefined,
): Promise<SsoClaims> {
  const env = authEnv();
  let userinfo: Claims | null = null;
  if (provider === "oidc" && env.oidc && accessToken && needsUserinfo(profile, env.groupsClaim))
    userinfo = await fetchUserinfo(env.oidc.issuer, accessToken, typeof profile?.sub === "string" ? profile.sub : "");
  return mergeClaims(profile, userinfo, env.groupsClaim);
}

function methodOf(provider: string | undefined): SignInMethod {
  return provider === "oidc" || provider === "github" ? provider : "password";
}

/** The identity provider says the person passed more than one factor (RFC 8176 `amr`). */
function assertsMultiFactor(profile: Record<string, unknown> | undefined): boolean {
  const amr = profile?.amr;
  return Array.isArray(amr) && amr.some((m) => m === "mfa" || m === "otp" || m === "hwk" || m === "swk");
}

const config: NextAuthConfig = {
  // URLs come from AUTH_URL (GREENLIGHT_URL), never from a request's Host header
  trustHost: true,
  basePath: "/api/auth",
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: providers(),
  callbacks: {
    async signIn({ account, profile, user }) {
      if (!account || account.provider === "credentials") return true;
      let claims: SsoClaims;
      try {
        claims = await claimsOf(account.provider, profile, account.access_token);
      } catch (e) {
        console.error(`greenlight: single sign-on: could not read userinfo: ${(e as Error).message}`);
        return "/sign-in?error=Userinfo";
      }
      const email = claims.email ?? user.email ?? "";
      if (!email) return "/sign-in?error=NoEmail";
      const result = await signInWithSso(
        {
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          email,
          // GitHub only returns a verified primary email; OIDC says so in a claim
          emailVerified: account.provider === "github" || claims.emailVerified,
          name: claims.name ?? user.name ?? null,
          groups: claims.groups,
        },
        authEnv().groupRoles,
      );
      if (!result.ok) return `/sign-in?error=${result.reason === "deactivated" ? "Deactivated" : "Unverified"}`;
      user.id = result.userId;
      return true;
    },
    async jwt({ token, user, account, profile }) {
      // at sign-in only: open the server-side session the cookie will name
      if (user?.id) {
        const request = await headers();
        token.uid = user.id;
        token.sid = await openSession({
          userId: user.id,
          method: methodOf(account?.provider),
          // the provider's word (amr), or an authenticator code given with the password
          secondFactor: assertsMultiFactor(profile) || (user as { secondFactor?: unknown }).secondFactor === true,
          ip: clientIp(request),
          userAgent: request.get("user-agent"),
        });
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.sid === "string") session.sessionId = token.sid;
      return session;
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(config);

/** The sign-in methods switched on, for the sign-in page. */
export function signInMethods(): { id: string; name: string }[] {
  const env = authEnv();
  return [
    ...(env.oidc ? [{ id: "oidc", name: env.oidc.name }] : []),
    ...(env.github ? [{ id: "github", name: "GitHub" }] : []),
  ];
}
