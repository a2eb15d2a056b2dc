import "server-only";
import { db } from "../../db";
import { audit } from "../audit/record";

// First sign-in through single sign-on creates the user with no roles (an admin grants them),
// or links the provider account to an existing user with the same verified email. Optional
// group → role mapping (AUTH_SSO_GROUP_ROLES) adds roles on every sign-in; it never removes.

export interface SsoProfile {
  provider: string;
  providerAccountId: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

export type SsoResult = { ok: true; userId: string } | { ok: false; reason: "deactivated" | "unverified" };

export async function signInWithSso(profile: SsoProfile, groupRoles: Map<string, string[]>): Promise<SsoResult> {
  const email = profile.email.trim().toLowerCase();
  const roleKeys = [...new Set(profile.groups.flatMap((g) => groupRoles.get(g) ?? []))];
  return db().$transaction(async (tx) => {
    const linked = await tx.account.findUnique({
      where: {
        provider_providerAccountId: { provider: profile.provider, providerAccountId: profile.providerAccountId },
      },
      select: { user: { select: { id: true, active: true } } },
    });
    let user = linked?.user ?? null;
    let created = false;
    if (!user) {
      // linking to an existing account by email is only safe when the provider vouches for it
      if (!profile.emailVerified) return { ok: false, reason: "unverified" } as const;
      const existing = await tx.user.findUnique({ where: { email }, select: { id: true, active: true } });
      user =
        existing ?? (await tx.user.create({ data: { email, name: profile.name }, select: { id: true, active: true } }));
      created = !existing;
      await tx.account.create({
        data: {
          userId: user.id,
          type: "oidc",
          provider: profile.provider,
          providerAccountId: profile.providerAccountId,
        },
      });
    }
    if (!user.active) return { ok: false, reason: "deactivated" } as const;
    const roles = roleKeys.length
      ? await tx.role.findMany({ where: { key: { in: roleKeys } }, select: { id: true, key: true } })
      : [];
    if (roles.length)
      await tx.userRole.createMany({
        data: roles.map((r) => ({ userId: user.id, roleId: r.id })),
        skipDuplicates: true,
      });
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await audit(
      tx,
      { label: profile.name ?? email, userId: user.id },
      {
        action: created ? "user.create.sso" : "auth.sign_in",
        entityType: "User",
        entityId: user.id,
        after: { method: profile.provider, email, mappedRoles: roles.map((r) => r.key) },
      },
    );
    return { ok: true, userId: user.id } as const;
  });
}
