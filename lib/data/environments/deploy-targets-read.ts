import "server-only";
import { DEPLOY_PROVIDER_KINDS, type DeployProviderKind } from "@/lib/domain/deploy-providers";
import { QUEUE_POLICIES, type QueuePolicy } from "@/lib/domain/deploy-queue";
import { targetSummary } from "@/lib/domain/deploy-target-form";
import { parseHealthChecks, type HealthCheck } from "@/lib/domain/health-checks";
import { ROLLOUT_STRATEGIES, parseRolloutSteps, type RolloutStep, type RolloutStrategy } from "@/lib/domain/rollout";
import { PROVIDERS, validateTarget } from "@/lib/deploy/registry";
import { readSecret } from "@/lib/deploy/secret";
import type { Sql } from "../context";
import { fromSql } from "../enums";
import { NotFoundError } from "../errors";

// What the settings page shows of an environment's deploy targets and rollout: per application
// its target (provider, non-secret settings, the NAME of the secret's variable and whether that
// variable is set on this server — never its value), and the strategy, steps, queue policy and
// health checks. Shared by the managers' page and the read-only view.

/** A provider as the form offers it (components may not import lib/deploy). */
export interface ProviderChoice {
  kind: DeployProviderKind;
  label: string;
  strategies: RolloutStrategy[];
  testConnection: boolean;
  secret: { label: string; required: boolean } | null;
  maxTimeoutSeconds: number;
}

export interface DeployTargetView {
  provider: DeployProviderKind;
  providerLabel: string;
  /** the non-secret settings as stored, for the form */
  config: unknown;
  summary: string[];
  secretEnvVar: string | null;
  /** whether that variable holds a value on this server now; null: the target names none */
  secretSet: boolean | null;
  timeoutSeconds: number;
  canTest: boolean;
  /** why the stored target would not deploy as it is (changed rules, a strategy it cannot run) */
  problems: string[];
  updatedAt: Date;
}

export interface DeployTargetRow {
  application: { key: string; name: string };
  target: DeployTargetView | null;
}

export interface RolloutSettings {
  strategy: RolloutStrategy;
  steps: RolloutStep[];
  queuePolicy: QueuePolicy;
  healthChecks: HealthCheck[];
}

export function providerChoices(): ProviderChoice[] {
  return DEPLOY_PROVIDER_KINDS.map((kind) => {
    const p = PROVIDERS[kind];
    return {
      kind,
      label: p.label,
      strategies: [...p.capabilities.strategies],
      testConnection: p.capabilities.testConnection,
      secret: p.secret,
      maxTimeoutSeconds: p.maxTimeoutSeconds,
    };
  });
}

export async function readRolloutSettings(sql: Sql, environmentId: string): Promise<RolloutSettings> {
  const [row] = await sql.$queryRaw<
    { strategy: string; steps: unknown; queuePolicy: string; healthChecks: unknown }[]
  >`select "rolloutStrategy"::text as strategy, "rolloutSteps" as steps, "deployQueuePolicy"::text as "queuePolicy",
      "healthChecks" from "Environment" where id = ${environmentId}::uuid`;
  if (!row) throw new NotFoundError("Environment");
  return {
    strategy: fromSql(ROLLOUT_STRATEGIES, row.strategy, "rollout strategy"),
    steps: parseRolloutSteps(row.steps),
    queuePolicy: fromSql(QUEUE_POLICIES, row.queuePolicy, "deploy queue policy"),
    healthChecks: parseHealthChecks(row.healthChecks),
  };
}

interface TargetRow {
  key: string;
  name: string;
  provider: string | null;
  config: unknown;
  secretEnvVar: string | null;
  timeoutSeconds: number | null;
  updatedAt: Date | null;
}

/** Every application, with its target in the environment or null, by application name. */
export async function readDeployTargets(
  sql: Sql,
  environmentId: string,
  strategy: RolloutStrategy,
): Promise<DeployTargetRow[]> {
  const rows = await sql.$queryRaw<TargetRow[]>`
    select a.key, a.name, t.provider::text as provider, t.config, t."secretEnvVar", t."timeoutSeconds", t."updatedAt"
    from "Application" a
    left join "DeployTarget" t on t."applicationId" = a.id and t."environmentId" = ${environmentId}::uuid
    order by a.name, a.key`;
  return rows.map((row) => ({
    application: { key: row.key, name: row.name },
    target:
      row.provider === null || row.timeoutSeconds === null || row.updatedAt === null
        ? null
        : targetView(
            {
              provider: fromSql(DEPLOY_PROVIDER_KINDS, row.provider, "deploy provider kind"),
              config: row.config,
              secretEnvVar: row.secretEnvVar,
              timeoutSeconds: row.timeoutSeconds,
            },
            row.updatedAt,
            strategy,
          ),
  }));
}

function targetView(
  target: { provider: DeployProviderKind; config: unknown; secretEnvVar: string | null; timeoutSeconds: number },
  updatedAt: Date,
  strategy: RolloutStrategy,
): DeployTargetView {
  const entry = PROVIDERS[target.provider];
  const checked = validateTarget(target, strategy);
  return {
    provider: target.provider,
    providerLabel: entry.label,
    config: target.config,
    summary: targetSummary(target.provider, target.config),
    secretEnvVar: target.secretEnvVar,
    // whether it is set, never what it holds
    secretSet: target.secretEnvVar ? readSecret(target.secretEnvVar).ok : null,
    timeoutSeconds: target.timeoutSeconds,
    canTest: entry.capabilities.testConnection,
    problems: checked.ok
      ? []
      : Object.entries(checked.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(" ")}`),
    updatedAt,
  };
}
