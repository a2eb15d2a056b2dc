import { randomUUID } from "node:crypto";
import { db } from "../db";
import { loadUserActor } from "../data/actors/load";
import type { UserActor } from "../domain/access";
import { ENVIRONMENT_PERMISSIONS, GLOBAL_PERMISSIONS, toDbPermission, type Permission } from "../domain/permissions";
import type { Permission as DbPermission } from "../generated/prisma/client";

// Real users for tests: rows in the database, resolved through the same query as a request.

const dbPermissions = (list: readonly Permission[]) => list.map((p) => toDbPermission(p) as DbPermission);

/** A user whose roles are the given role keys (the roles must exist). */
export async function userWithRoles(roleKeys: string[], name = `user-${randomUUID().slice(0, 8)}`): Promise<UserActor> {
  const roles = await db().role.findMany({ where: { key: { in: roleKeys } }, select: { id: true } });
  if (roles.length !== roleKeys.length) throw new Error(`unknown role among ${roleKeys.join(", ")}`);
  const user = await db().user.create({
    data: { email: `${name}@test.example`, name, roles: { create: roles.map((r) => ({ roleId: r.id })) } },
  });
  const actor = await loadUserActor(user.id);
  if (!actor) throw new Error("test user did not load");
  return actor;
}

/** A user holding every permission in every existing environment, and every global one. */
export async function fullAccessActor(): Promise<UserActor> {
  const key = `test_full_${randomUUID().slice(0, 8)}`;
  const environments = await db().environment.findMany({ select: { id: true } });
  await db().role.create({
    data: {
      key,
      name: "Test full access",
      globalPermissions: dbPermissions(GLOBAL_PERMISSIONS),
      permissions: {
        create: environments.map((e) => ({ environmentId: e.id, permissions: dbPermissions(ENVIRONMENT_PERMISSIONS) })),
      },
    },
  });
  return userWithRoles([key]);
}

/** A user holding exactly `permissions` in the given environments (by id) and nothing else. */
export async function actorWith(permissions: Permission[], environmentIds: string[]): Promise<UserActor> {
  const key = `test_${randomUUID().slice(0, 8)}`;
  const global = permissions.filter((p) => (GLOBAL_PERMISSIONS as readonly string[]).includes(p));
  const local = permissions.filter((p) => (ENVIRONMENT_PERMISSIONS as readonly string[]).includes(p));
  await db().role.create({
    data: {
      key,
      name: key,
      globalPermissions: dbPermissions(global),
      permissions: {
        create: environmentIds.map((environmentId) => ({ environmentId, permissions: dbPermissions(local) })),
      },
    },
  });
  return userWithRoles([key]);
}

/**
 * The same user acting through a real browser session (lib/data/identity/sessions.ts), as a
 * request would: signed in `signedInMinutesAgo` ago, with a second factor `secondFactorMinutesAgo`
 * ago (none when undefined).
 */
export async function signedIn(
  actor: UserActor,
  options: { signedInMinutesAgo?: number; secondFactorMinutesAgo?: number } = {},
): Promise<UserActor> {
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  const session = await db().session.create({
    data: {
      userId: actor.id,
      method: "password",
      authenticatedAt: ago(options.signedInMinutesAgo ?? 0),
      secondFactorAt: options.secondFactorMinutesAgo === undefined ? null : ago(options.secondFactorMinutesAgo),
      expiresAt: new Date(Date.now() + 12 * 3600_000),
    },
  });
  const loaded = await loadUserActor(actor.id, session.id);
  if (!loaded) throw new Error("test session did not load");
  return loaded;
}
