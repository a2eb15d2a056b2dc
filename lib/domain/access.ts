import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  type EnvironmentPermission,
  type GlobalPermission,
  type Permission,
} from "./permissions";

// Who may do what, where. Pure: lib/data resolves the actor once per request and asks these
// functions before every read and write; the UI asks the same functions to hide or disable.

export interface UserActor {
  kind: "user";
  id: string;
  email: string;
  name: string | null;
  roles: { key: string; name: string }[];
  /** permissions that hold everywhere (user.manage, token.manage, matrix.edit, audit.view) */
  global: ReadonlySet<GlobalPermission>;
  /** environment id → what the user's roles grant there (the union over roles) */
  byEnvironment: ReadonlyMap<string, ReadonlySet<EnvironmentPermission>>;
}

export interface TokenActor {
  kind: "token";
  id: string;
  name: string;
  /** the token's scope: its permissions, limited to its environments (null: all of them) */
  permissions: ReadonlySet<Permission>;
  environmentIds: ReadonlySet<string> | null;
}

export type Actor = UserActor | TokenActor;

export function isGlobalPermission(p: Permission): p is GlobalPermission {
  return (GLOBAL_PERMISSIONS as readonly string[]).includes(p);
}

export function isEnvironmentPermission(p: Permission): p is EnvironmentPermission {
  return (ENVIRONMENT_PERMISSIONS as readonly string[]).includes(p);
}

/**
 * May `actor` use `permission` in the environment `environmentId` (or, with null, anywhere
 * that needs no environment)? audit.view is both: global for admins, per environment for
 * "Read only" cells.
 */
export function can(actor: Actor, permission: Permission, environmentId: string | null = null): boolean {
  if (actor.kind === "token") {
    if (!actor.permissions.has(permission)) return false;
    return environmentId === null || actor.environmentIds === null || actor.environmentIds.has(environmentId);
  }
  if (isGlobalPermission(permission) && actor.global.has(permission)) return true;
  if (environmentId === null || !isEnvironmentPermission(permission)) return false;
  return actor.byEnvironment.get(environmentId)?.has(permission) ?? false;
}

/** The subset of `environmentIds` in which the actor holds `permission`. */
export function environmentsWhere(actor: Actor, permission: Permission, environmentIds: readonly string[]): string[] {
  return environmentIds.filter((id) => can(actor, permission, id));
}

export function actorLabel(actor: Actor): string {
  return actor.kind === "user" ? (actor.name ?? actor.email) : `token ${actor.name}`;
}
