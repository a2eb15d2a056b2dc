import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  type EnvironmentPermission,
  type GlobalPermission,
  type Permission,
} from "./permissions";

// Who may do what, where. Pure: lib/data resolves the actor once per request and asks these
// functions before every read and write; the UI asks the same functions to hide or disable.

/** The browser session a user acts through (lib/data/identity/sessions.ts). */
export interface SessionFacts {
  id: string;
  /** when the person last proved who they are: signing in, or entering their password again */
  authenticatedAt: Date;
  /** when the person last passed a second factor in this session, if ever */
  secondFactorAt: Date | null;
}

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
  /**
   * the session this request came through; absent when the actor was loaded outside a request
   * (scripts, tests), which never counts as a recent sign-in or a second factor
   */
  session?: SessionFacts;
}

/** What a person's roles grant them now: global permissions and the matrix cells, per environment. */
export interface Rights {
  global: ReadonlySet<GlobalPermission>;
  byEnvironment: ReadonlyMap<string, ReadonlySet<EnvironmentPermission>>;
}

/**
 * The person who created a token, as they are at this request. A token never does more than
 * its owner can do now: `can` intersects the token's scope with these rights, so a demotion or
 * a removed role takes effect at the token's next request (a deactivated or deleted owner
 * resolves to no actor at all, lib/data/actors/token.ts).
 */
export interface TokenOwner extends Rights {
  id: string;
  /** their name, else their email */
  label: string;
}

export interface TokenActor {
  kind: "token";
  id: string;
  name: string;
  /** the token's scope: its permissions, limited to its environments (null: all of them) */
  permissions: ReadonlySet<Permission>;
  environmentIds: ReadonlySet<string> | null;
  owner: TokenOwner;
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
    // token permissions ∩ token environments ∩ what its owner holds now
    if (!actor.permissions.has(permission)) return false;
    if (environmentId !== null && actor.environmentIds !== null && !actor.environmentIds.has(environmentId))
      return false;
    return rightsAllow(actor.owner, permission, environmentId);
  }
  return rightsAllow(actor, permission, environmentId);
}

/** Do these rights (a user's, or a token owner's) grant `permission` there? */
export function rightsAllow(rights: Rights, permission: Permission, environmentId: string | null): boolean {
  if (isGlobalPermission(permission) && rights.global.has(permission)) return true;
  if (environmentId === null || !isEnvironmentPermission(permission)) return false;
  return rights.byEnvironment.get(environmentId)?.has(permission) ?? false;
}

/** The subset of `environmentIds` in which the actor holds `permission`. */
export function environmentsWhere(actor: Actor, permission: Permission, environmentIds: readonly string[]): string[] {
  return environmentIds.filter((id) => can(actor, permission, id));
}

export function actorLabel(actor: Actor): string {
  return actor.kind === "user" ? (actor.name ?? actor.email) : `token ${actor.name}`;
}

/** Did this actor prove who they are (sign-in, password again) within the last `minutes`? */
export function signedInWithin(actor: Actor, minutes: number, now = new Date()): boolean {
  return (
    actor.kind === "user" &&
    !!actor.session &&
    now.getTime() - actor.session.authenticatedAt.getTime() <= minutes * 60_000
  );
}

/** Did this actor pass a second factor in this session within the last `minutes`? */
export function secondFactorWithin(actor: Actor, minutes: number, now = new Date()): boolean {
  const at = actor.kind === "user" ? actor.session?.secondFactorAt : null;
  return !!at && now.getTime() - at.getTime() <= minutes * 60_000;
}
