import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { authEnv } from "./auth-env";
import { clientIp } from "./client-ip";
import { signInWithPassword } from "./data/identity/sign-in";
import { signInWithSso } from "./data/identity/sso";

// Auth.js: email + password for built-in users, plus single sign-on through any OpenID Connect
// provider and GitHub, each switched on by its environment variables (README: Sign-in).
// Sessions are signed JWT cookies carrying only the user id; who the user is and may do is
// read from the database on every request (lib/data/actor.ts), so deactivation and matrix
// changes apply at once.

class Throttled extends CredentialsSignin {
  override code = "throttled";
}

const credentialsInput = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) });

function providers(): Provider[] {
  const env = authEnv();
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) return null;
        const result = await signInWithPassword({ ...parsed.data, ip: clientIp(request.headers) });
        if (result.ok) return result.user;
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
      authorization: { params: { scope: "openid email profile" } },
    });
  if (env.github) list.push(GitHub({ clientId: env.github.clientId, clientSecret: env.github.clientSecret }));
  return list;
}

function groupsOf(profile: Record<string, unknown> | undefined, claim: string): string[] {
  const value = profile?.[claim];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : [];
}

const config: NextAuthConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: providers(),
  callbacks: {
    async signIn({ account, profile, user }) {
      if (!account || account.provider === "credentials") return true;
      const env = authEnv();
      const email = (profile?.email ?? user.email ?? "").toString();
      if (!email) return "/sign-in?error=NoEmail";
      const result = await signInWithSso(
        {
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          email,
          // GitHub only returns a verified primary email; OIDC says so in a claim
          emailVerified: account.provider === "github" || profile?.email_verified === true,
          name: (profile?.name as string | undefined) ?? user.name ?? null,
          groups: groupsOf(profile, env.groupsClaim),
        },
        env.groupRoles,
      );
      if (!result.ok) return `/sign-in?error=${result.reason === "deactivated" ? "Deactivated" : "Unverified"}`;
      user.id = result.userId;
      return true;
    },
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
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
