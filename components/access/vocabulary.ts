import {
  ACCESS_LEVELS,
  type AccessLevel,
  type EnvironmentPermission,
  type GlobalPermission,
} from "@/lib/domain/permissions";

// How the access matrix reads to people: each permission in plain words, each level with a
// sentence. Colours and shapes live in level-badge.tsx.

export type LevelOrCustom = AccessLevel | "custom";

export const ENVIRONMENT_PERMISSION_TEXT: Record<EnvironmentPermission, string> = {
  "environment.view": "See the environment and what runs there",
  "audit.view": "Read its history: audit trail and deployment logs",
  "release.create": "Create releases",
  "release.check": "Report CI checks on releases",
  "release.approve": "Approve or reject releases",
  "checklist.tick": "Tick checklist items",
  "deploy.trigger": "Deploy and promote",
  "deploy.rollback": "Roll back",
  "flag.toggle": "Switch feature flags",
  "flag.approve": "Approve feature flag changes",
  "environment.manage": "Change the environment's settings",
};

export const GLOBAL_PERMISSION_TEXT: Record<GlobalPermission, string> = {
  "matrix.edit": "Change this access matrix",
  "audit.view": "Read the whole audit trail",
  "user.manage": "Invite people, give roles, deactivate accounts",
  "token.manage": "Create and revoke API tokens",
  "flag.manage": "Create and archive feature flags",
  "notification.manage": "Set up mail and notification webhooks, see failed deliveries",
};

export interface LevelMeta {
  label: string;
  description: string;
}

export const LEVEL_META: Record<LevelOrCustom, LevelMeta> = {
  full: { label: ACCESS_LEVELS.full.label, description: "Everything here, settings included" },
  deploy: { label: ACCESS_LEVELS.deploy.label, description: "See it, deploy and roll back" },
  read: {
    label: ACCESS_LEVELS.read.label,
    description: "See it and read its history, change nothing",
  },
  view: { label: ACCESS_LEVELS.view.label, description: "See where releases stand, nothing more" },
  none: { label: ACCESS_LEVELS.none.label, description: "The environment is hidden" },
  custom: { label: "Custom", description: "An exact set of permissions that matches no named level" },
};

export const LEVEL_ORDER: AccessLevel[] = ["full", "deploy", "read", "view", "none"];

/** "environment.view, audit.view" or "nothing", for titles and sentences. */
export function permissionList(permissions: readonly string[]): string {
  return permissions.length ? permissions.join(", ") : "nothing";
}
