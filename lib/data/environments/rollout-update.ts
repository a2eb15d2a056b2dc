import "server-only";
import { z } from "zod";
import { DEPLOY_PROVIDER_KINDS } from "@/lib/domain/deploy-providers";
import { QUEUE_POLICIES } from "@/lib/domain/deploy-queue";
import { validateHealthChecks, type HealthCheck } from "@/lib/domain/health-checks";
import {
  MAX_ROLLOUT_STEPS,
  ROLLOUT_STRATEGIES,
  STRATEGY_LABELS,
  rolloutStepsProblem,
  type RolloutStep,
} from "@/lib/domain/rollout";
import { PROVIDERS } from "@/lib/deploy/registry";
import { audit } from "../audit/record";
import { transaction } from "../context";
import { fromSql, queuePolicyEnum, strategyEnum } from "../enums";
import { ValidationError } from "../errors";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { environmentByKey } from "./by-key";
import { readRolloutSettings, type RolloutSettings } from "./deploy-targets-read";
import { INVALID, lockEnvironment } from "./settings-shared";

// How releases replace one another in an environment (environment.rollout.update): the
// strategy, its traffic steps, what a second promotion does while one runs, and the health
// checks watched between steps. A strategy that one of the environment's deploy targets cannot
// run is refused, naming the target: under the environment's lock, so no target is saved for
// the old strategy meanwhile (deploy_target.save takes the same lock).

const numberish = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v);

const rolloutInput = z.object({
  environmentKey,
  strategy: z.enum(ROLLOUT_STRATEGIES, "Choose a strategy: direct, blue-green or canary"),
  steps: z
    .array(
      z.object({
        percent: z.preprocess(numberish, z.number("Enter the share of traffic as a number")),
        pauseSeconds: z.preprocess(numberish, z.number("Enter the pause in seconds")),
      }),
      "Send the steps as a list",
    )
    .max(MAX_ROLLOUT_STEPS, `Use at most ${MAX_ROLLOUT_STEPS} steps`),
  queuePolicy: z.enum(QUEUE_POLICIES, "Choose what a second promotion does: queue, newest wins or refuse"),
  // checked by the health-check rules themselves (lib/domain/health-checks.ts), with their messages
  healthChecks: z.unknown(),
});

export type RolloutSettingsInput = z.input<typeof rolloutInput>;

function auditOf(s: RolloutSettings) {
  return {
    strategy: s.strategy,
    steps: s.steps as unknown as never,
    queuePolicy: s.queuePolicy,
    healthChecks: s.healthChecks as unknown as never,
  };
}

export const updateRolloutSettings = defineOperation({
  name: "environment.rollout.update",
  permission: "environment.manage",
  input: rolloutInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<RolloutSettings> =>
    transaction(ctx, async (tx) => {
      const errors: Record<string, string[]> = {};
      const steps: RolloutStep[] = input.steps;
      const stepsProblem = rolloutStepsProblem(steps);
      if (stepsProblem) errors.steps = [stepsProblem];
      const checks = validateHealthChecks(input.healthChecks ?? []);
      if (!checks.ok)
        for (const [field, messages] of Object.entries(checks.fieldErrors))
          errors[field === "_" ? "healthChecks" : `healthChecks.${field}`] = messages;

      await lockEnvironment(tx, environment.id);
      const before = await readRolloutSettings(tx, environment.id);
      if (input.strategy !== before.strategy) {
        const targets = await tx.$queryRaw<{ provider: string; application: string }[]>`
          select t.provider::text as provider, a.name as application from "DeployTarget" t
          join "Application" a on a.id = t."applicationId"
          where t."environmentId" = ${environment.id}::uuid order by a.name`;
        const refusing = targets
          .map((t) => ({ ...t, entry: PROVIDERS[fromSql(DEPLOY_PROVIDER_KINDS, t.provider, "deploy provider kind")] }))
          .filter((t) => !t.entry.capabilities.strategies.includes(input.strategy));
        if (refusing.length)
          errors.strategy = refusing.map(
            (t) =>
              `The deploy target of ${t.application} (${t.entry.label}) cannot run ${STRATEGY_LABELS[input.strategy].toLowerCase()} rollouts: ` +
              `change its provider first, or keep ${STRATEGY_LABELS[before.strategy].toLowerCase()}`,
          );
      }
      if (Object.keys(errors).length || !checks.ok) throw new ValidationError(INVALID, errors);

      const healthChecks: HealthCheck[] = checks.checks;
      await tx.environment.update({
        where: { id: environment.id },
        data: {
          rolloutStrategy: strategyEnum.toDb(input.strategy),
          rolloutSteps: steps as unknown as never,
          deployQueuePolicy: queuePolicyEnum.toDb(input.queuePolicy),
          healthChecks: healthChecks as unknown as never,
        },
      });
      const after: RolloutSettings = {
        strategy: input.strategy,
        steps: steps.map((s) => ({ percent: s.percent, pauseSeconds: s.pauseSeconds })),
        queuePolicy: input.queuePolicy,
        healthChecks,
      };
      await audit(tx, actor, {
        action: "environment.rollout.update",
        entityType: "Environment",
        entityId: environment.id,
        environmentId: environment.id,
        before: auditOf(before),
        after: auditOf(after),
      });
      return after;
    }),
});
