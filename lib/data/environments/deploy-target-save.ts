import "server-only";
import { z } from "zod";
import { validateTarget } from "@/lib/deploy/registry";
import { audit } from "../audit/record";
import { transaction } from "../context";
import { providerKindEnum, strategyEnum } from "../enums";
import { NotFoundError, ValidationError } from "../errors";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { environmentByKey } from "./by-key";
import { applicationByKey, applicationKey, lockedTarget, targetAudit, targetFieldErrors } from "./deploy-target-shared";
import { readDeployTargets, type DeployTargetRow } from "./deploy-targets-read";
import { lockEnvironment } from "./settings-shared";

// Choosing how an application reaches an environment (deploy_target.save, recorded as
// deploy_target.update) and removing it (deploy_target.delete). The settings are checked by the
// provider's own rules, against the environment's strategy read under the environment's lock,
// so a strategy change and a target save cannot cross each other. The secret is named by its
// environment variable: neither stored nor read here.

/** A form's text or a JSON number: "600" → 600; anything else is left for the provider to refuse. */
const numberish = (v: unknown) => (typeof v === "string" && /^\s*\d{1,9}\s*$/.test(v) ? Number(v) : v);
const blankToNull = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);

const saveInput = z.object({
  environmentKey,
  application: applicationKey,
  // shapes are the provider's to check (validateTarget), with its messages
  provider: z.unknown(),
  config: z.unknown(),
  secretEnvVar: z.preprocess((v) => blankToNull(typeof v === "string" ? v.trim() : v), z.unknown()),
  timeoutSeconds: z.preprocess(numberish, z.unknown()),
});

export type DeployTargetSaveInput = z.input<typeof saveInput>;

export const saveDeployTarget = defineOperation({
  name: "deploy_target.save",
  permission: "environment.manage",
  input: saveInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<DeployTargetRow> =>
    transaction(ctx, async (tx) => {
      await lockEnvironment(tx, environment.id);
      const application = await applicationByKey(tx, input.application);
      const { rolloutStrategy } = await tx.environment.findUniqueOrThrow({
        where: { id: environment.id },
        select: { rolloutStrategy: true },
      });
      const strategy = strategyEnum.fromDb(rolloutStrategy);
      const target = {
        provider: input.provider,
        config: input.config ?? {},
        secretEnvVar: input.secretEnvVar ?? null,
        timeoutSeconds: input.timeoutSeconds,
      };
      const checked = validateTarget(target, strategy);
      if (!checked.ok)
        throw new ValidationError("Some deploy target settings need attention", targetFieldErrors(checked.fieldErrors));
      // validateTarget held: these are the provider's kind, a name and a whole number
      const provider = target.provider as Parameters<typeof providerKindEnum.toDb>[0];
      const saved = {
        provider,
        config: checked.config,
        secretEnvVar: target.secretEnvVar as string | null,
        timeoutSeconds: target.timeoutSeconds as number,
      };
      const before = await lockedTarget(tx, application.id, environment.id);
      const data = {
        provider: providerKindEnum.toDb(saved.provider),
        config: saved.config as never,
        secretEnvVar: saved.secretEnvVar,
        timeoutSeconds: saved.timeoutSeconds,
      };
      const row = await tx.deployTarget.upsert({
        where: { applicationId_environmentId: { applicationId: application.id, environmentId: environment.id } },
        create: { applicationId: application.id, environmentId: environment.id, ...data },
        update: data,
        select: { id: true },
      });
      await audit(tx, actor, {
        action: "deploy_target.update",
        entityType: "DeployTarget",
        entityId: row.id,
        environmentId: environment.id,
        before: before ? targetAudit(application.key, before) : null,
        after: targetAudit(application.key, saved),
      });
      const rows = await readDeployTargets(tx, environment.id, strategy);
      const shown = rows.find((r) => r.application.key === application.key);
      if (!shown) throw new NotFoundError(`Application "${application.key}"`);
      return shown;
    }),
});

const deleteInput = z.object({ environmentKey, application: applicationKey });

export const deleteDeployTarget = defineOperation({
  name: "deploy_target.delete",
  permission: "environment.manage",
  input: deleteInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<{ application: string }> =>
    transaction(ctx, async (tx) => {
      const application = await applicationByKey(tx, input.application);
      const before = await lockedTarget(tx, application.id, environment.id);
      if (!before) throw new NotFoundError(`The deploy target of ${application.name}`);
      await tx.deployTarget.delete({ where: { id: before.id } });
      await audit(tx, actor, {
        action: "deploy_target.delete",
        entityType: "DeployTarget",
        entityId: before.id,
        environmentId: environment.id,
        before: targetAudit(application.key, before),
      });
      return { application: application.key };
    }),
});
