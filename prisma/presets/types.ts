import type { DeploymentStatus } from "@/lib/domain/deployment-state";
import type { HealthCheck } from "@/lib/domain/health-checks";
import type { LogStream } from "@/lib/domain/deploy-providers";
import type { RolloutStep, RolloutStrategy } from "@/lib/domain/rollout";
import type { AccessLevel, EnvironmentPermission, GlobalPermission, Permission } from "@/lib/domain/permissions";

// A preset is everything an organisation needs to start using Greenlight, as plain data:
// lib/data/presets.ts turns it into rows. Keys (envKey, roleKey, appKey, emails) tie the
// parts together; ids are the loader's business. The optional history is a function only
// because it is laid out relative to "now"; what it returns is plain data too.

export type { RolloutStep } from "@/lib/domain/rollout";

export interface PresetEnvironment {
  key: string;
  name: string;
  description: string;
  protected: boolean;
  /** #rrggbb */
  color: string;
  url: string | null;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  /** approvals a flag change here needs (four eyes); absent: 1 in a protected environment, else 0 */
  flagChangeApprovals?: number;
  /**
   * approving, promoting, rolling back, ticking and changing flags here need a second factor
   * within this many minutes (absent: not asked)
   */
  secondFactorMinutes?: number;
  /** how long a release must have run in the stage BEFORE this one before it may be promoted here */
  soakMinutes: number;
  /** promote into this environment as soon as the previous stage succeeded and every gate passes */
  autoPromote: boolean;
  rolloutStrategy: RolloutStrategy;
  rolloutSteps: RolloutStep[];
  healthCheckPath: string | null;
  healthCheckFailureThreshold: number;
  errorRateThresholdPercent: number | null;
  /** the health checks of rollouts here (absent: none), as the settings page saves them */
  healthChecks?: HealthCheck[];
  /** CI checks a release must have passed to enter (absent: none) */
  requiredChecks?: string[];
  /** branch patterns a release must be built from to enter (absent: any branch) */
  allowedBranches?: string[];
  /** with autoPromote: only releases from these branches are promoted automatically (absent: all) */
  autoPromoteBranches?: string[];
}

export interface PresetRole {
  key: string;
  name: string;
  description: string;
  globalPermissions: GlobalPermission[];
}

/** One cell of the access matrix: a named level of seed 000's vocabulary or an explicit set. */
export type MatrixCell = AccessLevel | { custom: EnvironmentPermission[] };

/** roleKey → envKey → cell. A cell left out is stored as "No access". */
export type PresetMatrix = Record<string, Record<string, MatrixCell>>;

export interface PresetChecklistItem {
  section?: string;
  /**
   * When it is ticked: before promotion (the release's checklist, a gate), or during or after
   * each deployment. Absent: from the section, "Deployment" → during, "Post-deployment" → after,
   * anything else → before (lib/domain/deployment-checklist.ts phaseOfSection).
   */
  phase?: "before" | "during" | "after";
  label: string;
  hint?: string;
  required: boolean;
  /** the CI check whose success ticks the item */
  checkName?: string;
  /** only that check may tick it */
  ciOnly?: boolean;
}

export interface PresetChecklist {
  name: string;
  /**
   * before_entry (default): ticked before a release deploys to the environment (pre-deployment).
   * before_exit: worked through while the release runs there, before it moves on ("Testing in Staging").
   */
  timing?: "before_entry" | "before_exit";
  items: PresetChecklistItem[];
}

export type FlagStateSpec = boolean | { enabled: boolean; rolloutPercent: number | null };

export interface PresetFlag {
  key: string;
  name: string;
  description: string;
  category: string;
  /** envKey → state; an environment left out gets the flag switched off */
  states: Record<string, FlagStateSpec>;
}

export interface PresetApplication {
  key: string;
  name: string;
  description: string;
  repositoryUrl?: string;
}

/** A persona account. No password: sign-in is configured separately. */
export interface PresetUser {
  email: string;
  name: string;
  roles: string[];
}

export type PresetFreezeWindow =
  | {
      envKey: string;
      kind: "weekly";
      reason: string;
      timeZone: string;
      /** 0 = Sunday … 6 = Saturday */
      weekday: number;
      /** minutes after local midnight */
      startMinute: number;
      durationMinutes: number;
    }
  | { envKey: string; kind: "one_off"; reason: string; timeZone: string; startsAt: string; endsAt: string };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface PresetDeployTarget {
  appKey: string;
  envKey: string;
  provider: "command" | "webhook" | "github_actions";
  /** non-secret settings only */
  config: { [key: string]: JsonValue };
  /** name of the environment variable holding the secret (token, signing key), never the secret */
  secretEnvVar?: string;
  timeoutSeconds?: number;
}

// ---------------------------------------------------------------------------------------------
// History: releases and what happened to them, for presets that show a team mid-flight.
// ---------------------------------------------------------------------------------------------

/** Who did something: a persona (by email) or an API token (by name). */
export type Actor = { user: string } | { token: string };

export interface HistoryApiToken {
  name: string;
  ownerEmail: string | null;
  permissions: Permission[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** the statuses a preset's history may hold: finished, or queued and running */
export type DeploymentStatusName = Exclude<DeploymentStatus, "paused" | "rolling_back">;

export interface HistoryLogLine {
  at: Date;
  stream: LogStream;
  line: string;
}

export interface HistoryDeployment {
  /** lets a later rollback deployment point at this one */
  ref?: string;
  /** ref of the deployment this one rolled back */
  rollbackOfRef?: string;
  envKey: string;
  status: DeploymentStatusName;
  strategy: RolloutStrategy;
  currentStep: number;
  trafficPercent: number;
  activeColor: "blue" | "green" | null;
  providerRef: string | null;
  failureReason: string | null;
  /** set when the deploy went ahead inside a freeze window */
  overrideReason: string | null;
  /** null: Greenlight itself (auto-promotion) */
  triggeredBy: Actor | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  log: HistoryLogLine[];
}

export interface HistoryApproval {
  envKey: string;
  userEmail: string;
  roleKey: string;
  decision: "approved" | "rejected";
  comment: string | null;
  at: Date;
}

/** The release's copy of an environment's checklist; items not ticked stay open. */
export interface HistoryChecklist {
  envKey: string;
  ticks: { itemIndex: number; byEmail: string; at: Date; note: string | null }[];
}

export interface HistoryRelease {
  appKey: string;
  version: string;
  commitSha: string;
  commitAt: Date;
  /** the branch it was built from (absent: not said) */
  branch?: string;
  title: string;
  /** Markdown */
  changelog: string;
  links: { label: string; url: string }[];
  createdBy: Actor;
  createdAt: Date;
  deployments: HistoryDeployment[];
  approvals: HistoryApproval[];
  checklists: HistoryChecklist[];
}

export interface HistoryScheduledFlagChange {
  flagKey: string;
  envKey: string;
  enabled: boolean;
  rolloutPercent: number | null;
  runAt: Date;
  status: "pending" | "applied" | "cancelled" | "failed";
  createdByEmail: string;
  createdAt: Date;
  appliedAt: Date | null;
}

export interface PresetHistory {
  apiTokens: HistoryApiToken[];
  releases: HistoryRelease[];
  scheduledFlagChanges: HistoryScheduledFlagChange[];
}

export interface Preset {
  name: string;
  title: string;
  /** one line: which organisation and which seed document */
  description: string;
  /** in pipeline order: releases flow from the first to the last */
  environments: PresetEnvironment[];
  roles: PresetRole[];
  matrix: PresetMatrix;
  /** envKey → that environment's checklist template */
  checklists: Record<string, PresetChecklist>;
  flags: PresetFlag[];
  applications: PresetApplication[];
  users: PresetUser[];
  freezeWindows?: PresetFreezeWindow[];
  deployTargets?: PresetDeployTarget[];
  /** deterministic for a given `now` */
  history?: (now: Date) => PresetHistory;
  /** the team's own delivery targets, as its strategy document states them (the /metrics page) */
  doraTargets?: PresetDoraTargets;
}

/**
 * A team's DORA targets in the units people write them in; each is optional. Loaded into
 * MetricTarget rows (lib/domain/dora.ts holds the units the app compares in).
 */
export interface PresetDoraTargets {
  /** where they come from, e.g. "Seed 004, Metrics and KPIs" */
  source: string;
  /** at least this many successful production deployments a week */
  deploymentsPerWeek?: number;
  /** change lead time below this many hours */
  leadTimeHours?: number;
  /** change failure rate below this percentage */
  changeFailureRatePercent?: number;
  /** failed deployment recovery time below this many minutes */
  recoveryMinutes?: number;
  /** rework rate below this percentage */
  reworkRatePercent?: number;
}

/** The role every preset includes: it can run Greenlight itself (matrix, people, tokens, audit). */
export const ADMIN_ROLE: PresetRole = {
  key: "admin",
  name: "Admin",
  description: "Manages environments, roles, the access matrix, feature flags, people and API tokens",
  globalPermissions: ["matrix.edit", "audit.view", "user.manage", "token.manage", "flag.manage", "notification.manage"],
};
