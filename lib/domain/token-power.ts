import { isEnvironmentPermission, isGlobalPermission, rightsAllow, type Rights } from "./access";
import type { Permission } from "./permissions";

// What a token can still do, for the Tokens page. A token never does more than its owner can
// do now (`can` in ./access.ts intersects the two on every request); this says, for a person
// reading the list, which of a token's grants its owner no longer backs, and why. Pure: the
// facts come from lib/data/tokens/list.ts.

export interface PowerEnvironment {
  id: string;
  name: string;
}

/** A token's owner as they are now, or null when the owner was deleted. */
export interface OwnerNow {
  label: string;
  active: boolean;
  rights: Rights;
  /** roles the owner held when the token was made and holds no longer, with what they grant now */
  removedRoles: { name: string; rights: Rights }[];
}

export interface TokenGrant {
  permissions: readonly Permission[];
  /** the token's environments; null: every environment */
  environmentIds: readonly string[] | null;
}

/** One permission the token was given that its owner no longer backs, where, and the likely cause. */
export interface LostGrant {
  permission: Permission;
  /** the environments of the token's scope where the owner lacks it (names, pipeline order) */
  environments: string[];
  /** lost as a global permission (user.manage …, or audit.view of every event) */
  global: boolean;
  /** removed roles that would grant it there now */
  removedRoles: string[];
}

/**
 * "full": every grant is backed; "partial": some are not, and the token still works for the
 * rest; "none": nothing is, or the owner is deactivated or deleted (then the token is refused
 * outright, 401).
 */
export type PowerState = "full" | "partial" | "none";

export interface TokenPower {
  state: PowerState;
  /** one sentence per cause, for people */
  reasons: string[];
  lost: LostGrant[];
}

const FULL: TokenPower = { state: "full", reasons: [], lost: [] };

function causesOf(owner: OwnerNow, permission: Permission, environmentId: string | null): string[] {
  return owner.removedRoles.filter((r) => rightsAllow(r.rights, permission, environmentId)).map((r) => r.name);
}

function sentence(lost: LostGrant): string {
  const where = lost.global
    ? isEnvironmentPermission(lost.permission)
      ? " globally"
      : ""
    : ` in ${list(lost.environments)}`;
  // with a removed role to blame, the loss is a change; without one (the access matrix changed,
  // or the token was given more than its owner held, as a seeded one may be) it is a fact of now
  if (!lost.removedRoles.length) return `Owner does not hold ${lost.permission}${where} now`;
  const roles = `role${lost.removedRoles.length > 1 ? "s" : ""} ${list(lost.removedRoles)}`;
  return `Owner no longer holds ${lost.permission}${where} (${roles} removed)`;
}

function list(names: string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** Which of the token's grants its owner no longer backs, as data and as sentences. */
export function tokenPower(
  token: TokenGrant,
  owner: OwnerNow | null,
  environments: readonly PowerEnvironment[],
): TokenPower {
  if (!owner) return { state: "none", reasons: ["Owner deleted"], lost: [] };
  if (!owner.active) return { state: "none", reasons: [`Owner ${owner.label} is deactivated`], lost: [] };

  const scope = token.environmentIds
    ? environments.filter((e) => token.environmentIds!.includes(e.id))
    : [...environments];
  const lost: LostGrant[] = [];
  let backedSomewhere = false;
  for (const permission of token.permissions) {
    // a global grant: held without an environment (for audit.view: every event, sign-ins too);
    // a token limited to some environments never held audit.view globally
    const global = isGlobalPermission(permission) && (!isEnvironmentPermission(permission) || !token.environmentIds);
    if (global) {
      if (rightsAllow(owner.rights, permission, null)) backedSomewhere = true;
      else lost.push({ permission, environments: [], global: true, removedRoles: causesOf(owner, permission, null) });
    }
    if (!isEnvironmentPermission(permission)) continue;
    // per environment, grouped by cause so that each sentence names its own
    const byCause = new Map<string, { environments: string[]; removedRoles: string[] }>();
    for (const environment of scope) {
      if (rightsAllow(owner.rights, permission, environment.id)) {
        backedSomewhere = true;
        continue;
      }
      const removedRoles = causesOf(owner, permission, environment.id);
      const key = removedRoles.join("\u0000");
      const group = byCause.get(key) ?? { environments: [], removedRoles };
      group.environments.push(environment.name);
      byCause.set(key, group);
    }
    for (const group of byCause.values()) lost.push({ permission, global: false, ...group });
  }
  if (!lost.length) return FULL;
  return { state: backedSomewhere ? "partial" : "none", reasons: lost.map(sentence), lost };
}
