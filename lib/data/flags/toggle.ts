import "server-only";
import { z } from "zod";
import {
  MAX_RULES,
  parseRuleLines,
  parseRules,
  ruleLines,
  ruleProblem,
  RULE_OPERATORS,
  type TargetingRule,
} from "@/lib/domain/flag-evaluation";
import type { Prisma } from "@/lib/generated/prisma/client";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { defineOperation } from "../operation";

// Feature flags per environment. Toggling is guarded per environment by flag.toggle: a QA
// engineer may flip flags in staging and still be refused in production.

const key = z.string().trim().min(1).max(100);

/** Targeting rules: as a form sends them (one a line, lib/domain/flag-evaluation.ts) or as JSON. */
const rules = z
  .union([
    z.string().max(20_000, "Use at most 20,000 characters"),
    z
      .array(
        z.object({
          attribute: z.string().max(100),
          operator: z.enum(RULE_OPERATORS),
          values: z.array(z.string().max(1_000)).max(1_000),
        }),
      )
      .max(MAX_RULES, `At most ${MAX_RULES} rules`),
  ])
  .transform((value, ctx): TargetingRule[] => {
    const parsed: { rules: TargetingRule[]; errors: string[] } =
      typeof value === "string"
        ? parseRuleLines(value)
        : {
            rules: value,
            errors: value.flatMap((r, i) => {
              const problem = ruleProblem(r);
              return problem ? [`Rule ${i + 1}: ${problem}`] : [];
            }),
          };
    for (const message of parsed.errors) ctx.addIssue({ code: "custom", message });
    return parsed.rules;
  });

export const updateFlagState = defineOperation({
  name: "flag.state.update",
  permission: "flag.toggle",
  input: z.object({
    flagKey: key,
    environmentKey: key,
    enabled: z.boolean(),
    rolloutPercent: z
      .number("Enter a share between 0 and 100")
      .int("Enter a whole number")
      .min(0, "Enter a share between 0 and 100")
      .max(100, "Enter a share between 0 and 100")
      .nullable()
      .optional(),
    /** replaces the rules when given; kept as they are when not */
    rules: rules.optional(),
  }),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }) {
    const environmentId = environment.id;
    return transaction(ctx, async (tx) => {
      const flag = await tx.featureFlag.findUnique({
        where: { key: input.flagKey },
        select: { id: true, key: true, archivedAt: true },
      });
      if (!flag) throw new NotFoundError(`Flag "${input.flagKey}"`);
      if (flag.archivedAt)
        throw new ConflictError(`Flag "${flag.key}" is archived: it is no longer served and cannot be changed`);
      const before = await tx.flagState.findUnique({
        where: { flagId_environmentId: { flagId: flag.id, environmentId } },
        select: { enabled: true, rolloutPercent: true, rules: true },
      });
      const data = {
        enabled: input.enabled,
        rolloutPercent: input.rolloutPercent === undefined ? (before?.rolloutPercent ?? null) : input.rolloutPercent,
        rules: (input.rules ?? parseRules(before?.rules)) as unknown as Prisma.InputJsonValue,
        updatedById: actor.kind === "user" ? actor.id : null,
      };
      const after = await tx.flagState.upsert({
        where: { flagId_environmentId: { flagId: flag.id, environmentId } },
        create: { flagId: flag.id, environmentId, ...data },
        update: data,
        select: { enabled: true, rolloutPercent: true, rules: true },
      });
      // rules in the words people write them, so the trail reads like the form
      const readable = (state: { enabled: boolean; rolloutPercent: number | null; rules: unknown }) => ({
        enabled: state.enabled,
        rolloutPercent: state.rolloutPercent,
        rules: ruleLines(parseRules(state.rules)),
      });
      await audit(tx, actor, {
        action: "flag.state.update",
        entityType: "FeatureFlag",
        entityId: flag.key,
        environmentId,
        before: before ? readable(before) : null,
        after: readable(after),
      });
      return { flagKey: flag.key, enabled: after.enabled, rolloutPercent: after.rolloutPercent };
    });
  },
});
