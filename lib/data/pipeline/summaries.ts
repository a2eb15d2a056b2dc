import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  parseRolloutSteps,
  type HealthCheckSettings,
  type RolloutStep,
  type RolloutStrategy,
} from "@/lib/domain/rollout";
import type { Pipeline } from "@/lib/domain/pipeline";
import { strategyEnum } from "../enums";

// What the pages show of the pipeline's parts: plain objects, never Prisma rows. Readers across
// lib/data build these; components import them as types.

export type { HealthCheckSettings, RolloutStep, RolloutStrategy } from "@/lib/domain/rollout";

/** A stage of the pipeline and its settings (a small table: always read whole). */
export interface EnvironmentSummary {
  id: string;
  key: string;
  name: string;
  description: string | null;
  position: number;
  protected: boolean;
  /** #rrggbb, checked: safe to put in a style attribute */
  color: string;
  url: string | null;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  /** approvals a flag change here needs from someone other than its author; 0: none */
  flagChangeApprovals: number;
  soakMinutes: number;
  autoPromote: boolean;
  rolloutStrategy: RolloutStrategy;
  rolloutSteps: RolloutStep[];
  healthCheck: HealthCheckSettings;
  /**
   * approving, promoting, rolling back, ticking and changing flags here need a second factor
   * passed within maxAgeMinutes (lib/data/authz.ts)
   */
  secondFactor: { required: boolean; maxAgeMinutes: number };
  /** CI checks that must have passed before a release enters (the "Required checks" gate) */
  requiredChecks: string[];
  /** branch patterns a release must come from to enter; empty: any branch */
  allowedBranches: string[];
  /** with autoPromote: only releases from these branches are promoted automatically; empty: all */
  autoPromoteBranches: string[];
}

export interface ApplicationSummary {
  id: string;
  key: string;
  name: string;
}

export interface ReleaseSummary {
  id: string;
  version: string;
  title: string;
  createdAt: Date;
}

/** Who did something: a person, a CI token, or Greenlight itself (a rollback, an auto-promote). */
export interface Actor {
  kind: "user" | "token" | "system";
  label: string;
}

/** After a rollback an application holds this version in an environment until someone releases it. */
export interface CellHold {
  releaseId: string;
  version: string;
  reason: string;
  since: Date;
}

export interface PipelineOverview {
  /** when the data was read: relative times on the page count from here */
  asOf: Date;
  environments: EnvironmentSummary[];
  applications: ApplicationSummary[];
  pipeline: Pipeline<ReleaseSummary>;
  /** per board cell (cellKey), the version held there after a rollback */
  holds: Record<string, CellHold>;
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const FALLBACK_COLOR = "#64748b";

/** Only http(s) links leave the data layer: a `javascript:` URL in the database must not become a link. */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

export function actorOf(user: string | null, token: string | null): Actor {
  if (user) return { kind: "user", label: user };
  if (token) return { kind: "token", label: `token ${token}` };
  return { kind: "system", label: "Greenlight" };
}

export const environmentSelect = {
  id: true,
  key: true,
  name: true,
  description: true,
  position: true,
  protected: true,
  color: true,
  url: true,
  requiredApprovals: true,
  preventSelfApproval: true,
  flagChangeApprovals: true,
  soakMinutes: true,
  autoPromote: true,
  rolloutStrategy: true,
  rolloutSteps: true,
  healthCheckPath: true,
  healthCheckIntervalSeconds: true,
  healthCheckFailureThreshold: true,
  errorRateThresholdPercent: true,
  requireSecondFactor: true,
  secondFactorMaxAgeMinutes: true,
  requiredChecks: true,
  allowedBranches: true,
  autoPromoteBranches: true,
} as const;

type EnvironmentRow = Prisma.EnvironmentGetPayload<{ select: typeof environmentSelect }>;

export function toEnvironmentSummary(row: EnvironmentRow): EnvironmentSummary {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    position: row.position,
    protected: row.protected,
    color: HEX_COLOR.test(row.color) ? row.color : FALLBACK_COLOR,
    url: httpUrl(row.url),
    requiredApprovals: row.requiredApprovals,
    preventSelfApproval: row.preventSelfApproval,
    flagChangeApprovals: row.flagChangeApprovals,
    soakMinutes: row.soakMinutes,
    autoPromote: row.autoPromote,
    rolloutStrategy: strategyEnum.fromDb(row.rolloutStrategy),
    // free JSON: the well-formed steps are kept rather than fail every page over one
    rolloutSteps: parseRolloutSteps(row.rolloutSteps),
    healthCheck: {
      path: row.healthCheckPath,
      intervalSeconds: row.healthCheckIntervalSeconds,
      failureThreshold: row.healthCheckFailureThreshold,
      errorRateThresholdPercent: row.errorRateThresholdPercent,
    },
    secondFactor: { required: row.requireSecondFactor, maxAgeMinutes: row.secondFactorMaxAgeMinutes },
    requiredChecks: row.requiredChecks,
    allowedBranches: row.allowedBranches,
    autoPromoteBranches: row.autoPromoteBranches,
  };
}
