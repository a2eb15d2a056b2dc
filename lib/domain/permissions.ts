// The access matrix's vocabulary. Pure data: lib/data enforces it, the UI only reads it.

export const ENVIRONMENT_PERMISSIONS = [
  "environment.view",
  "audit.view",
  "release.create",
  "release.check",
  "release.approve",
  "checklist.tick",
  "deploy.trigger",
  "deploy.rollback",
  "flag.toggle",
  "flag.approve",
  "environment.manage",
] as const;

/**
 * What an environment that asks for a second factor (seed 000: production) guards with it:
 * approving, promoting, rolling back, ticking and changing flags there.
 */
export const SECOND_FACTOR_PERMISSIONS: readonly EnvironmentPermission[] = [
  "release.approve",
  "checklist.tick",
  "deploy.trigger",
  "deploy.rollback",
  "flag.toggle",
  "flag.approve",
];

/** Permissions that are not about one environment; granted through a role's globalPermissions. */
export const GLOBAL_PERMISSIONS = [
  "matrix.edit",
  "audit.view",
  "user.manage",
  "token.manage",
  "flag.manage",
  "notification.manage",
] as const;

export type EnvironmentPermission = (typeof ENVIRONMENT_PERMISSIONS)[number];
export type GlobalPermission = (typeof GLOBAL_PERMISSIONS)[number];
export type Permission = EnvironmentPermission | GlobalPermission;

/**
 * Named levels from seed 000's access matrix ("Full Access / Read Only / Deploy Only / View
 * Only / No Access"). Read only sees the environment and its history (audit trail, deployment
 * logs); view only sees where releases stand and nothing more.
 */
export const ACCESS_LEVELS = {
  full: { label: "Full access", permissions: [...ENVIRONMENT_PERMISSIONS] },
  deploy: { label: "Deploy only", permissions: ["environment.view", "deploy.trigger", "deploy.rollback"] },
  read: { label: "Read only", permissions: ["environment.view", "audit.view"] },
  view: { label: "View only", permissions: ["environment.view"] },
  none: { label: "No access", permissions: [] },
} as const satisfies Record<string, { label: string; permissions: readonly EnvironmentPermission[] }>;

export type AccessLevel = keyof typeof ACCESS_LEVELS;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((p) => set.has(p));
}

/** The named level a permission set matches exactly, or "custom". */
export function levelOf(permissions: readonly string[]): AccessLevel | "custom" {
  for (const [level, def] of Object.entries(ACCESS_LEVELS))
    if (sameSet(def.permissions, permissions)) return level as AccessLevel;
  return "custom";
}

export function permissionsOf(level: AccessLevel): EnvironmentPermission[] {
  return [...ACCESS_LEVELS[level].permissions];
}

/**
 * The database stores permissions as the enum's names (RELEASE_APPROVE); the rest of the code
 * speaks the dotted names (release.approve). These convert between the two.
 */
export function toDbPermission(p: Permission): string {
  return p.toUpperCase().replace(".", "_");
}

export function fromDbPermission(p: string): Permission {
  const dotted = p.toLowerCase().replace("_", ".");
  if (
    !(ENVIRONMENT_PERMISSIONS as readonly string[]).includes(dotted) &&
    !(GLOBAL_PERMISSIONS as readonly string[]).includes(dotted)
  )
    throw new Error(`unknown permission ${p}`);
  return dotted as Permission;
}

export const BUILT_IN_ROLES = [
  { key: "admin", name: "Admin", description: "Manages environments, roles, the access matrix and feature flags" },
  { key: "product_owner", name: "Product owner", description: "Approves or rejects production releases" },
  { key: "qa", name: "QA engineer", description: "Works through release checklists, blocks releases" },
  { key: "developer", name: "Developer", description: "Creates releases and deploys to development" },
  { key: "devops", name: "DevOps", description: "Runs the pipeline and deploys" },
  { key: "operations", name: "Operations", description: "Owns production" },
  { key: "business_owner", name: "Business owner", description: "Follows where releases stand" },
] as const;
