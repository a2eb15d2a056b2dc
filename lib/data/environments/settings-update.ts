import "server-only";
import { promoteWhatNowPasses } from "../promotion/auto-promote";
import { z } from "zod";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { NotFoundError, ValidationError } from "../errors";
import { environmentByKey } from "./by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { httpUrl } from "../pipeline";

import { INVALID, blank, nameList, optionalText, wholeNumber } from "./settings-shared";
import { MAX_BRANCH_PATTERNS, branchPatternProblem } from "@/lib/domain/branches";
import { MAX_REQUIRED_CHECKS, checkNameProblem } from "@/lib/domain/checks";

// An environment's gates and place in the pipeline (environment.update).

const settingsInput = z.object({
  environmentKey,
  name: z.string().trim().min(1, "Enter a name").max(80, "Use at most 80 characters"),
  description: optionalText(500),
  color: z
    .string("Use a colour like #16a34a")
    .trim()
    .regex(/^#[0-9a-f]{6}$/i, "Use a colour like #16a34a")
    .transform((c) => c.toLowerCase()),
  url: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .max(2000, "Use at most 2000 characters")
      .refine((u) => httpUrl(u) !== null, "Enter a web address starting with http:// or https://")
      .nullable(),
  ),
  protected: z.boolean("Say whether the environment is protected"),
  requiredApprovals: wholeNumber(0, 10, "how many approvals are required"),
  preventSelfApproval: z.boolean("Say whether the author's own approval counts"),
  /** approvals a flag change here needs from someone else; 0: changes apply at once (kept when absent) */
  flagChangeApprovals: wholeNumber(0, 10, "how many approvals a flag change needs").optional(),
  soakMinutes: wholeNumber(0, 10080, "a soak time in minutes"),
  autoPromote: z.boolean("Say whether releases are promoted automatically"),
  /** approving, promoting, rolling back, ticking and flag changes here need a recent second factor */
  requireSecondFactor: z.boolean("Say whether actions here need a second factor"),
  /** how long a passed second factor counts here, in minutes (kept while not required) */
  secondFactorMaxAgeMinutes: wholeNumber(5, 1440, "how many minutes a second factor stays valid"),
  /** 0-based place in the pipeline; the others shift to make room */
  position: wholeNumber(0, 1000, "a place in the pipeline"),
  /** CI checks that must have passed before a release enters (kept when absent) */
  requiredChecks: nameList("required checks", MAX_REQUIRED_CHECKS, checkNameProblem).optional(),
  /** branch patterns a release must come from to enter; empty: any (kept when absent) */
  allowedBranches: nameList("branch patterns", MAX_BRANCH_PATTERNS, branchPatternProblem).optional(),
  /** with autoPromote: only releases from these branches are promoted automatically (kept when absent) */
  autoPromoteBranches: nameList("branch patterns", MAX_BRANCH_PATTERNS, branchPatternProblem).optional(),
});

export type EnvironmentSettingsInput = z.input<typeof settingsInput>;

const settingsColumns = {
  id: true,
  key: true,
  name: true,
  description: true,
  color: true,
  url: true,
  protected: true,
  requiredApprovals: true,
  preventSelfApproval: true,
  flagChangeApprovals: true,
  soakMinutes: true,
  autoPromote: true,
  requireSecondFactor: true,
  secondFactorMaxAgeMinutes: true,
  position: true,
  requiredChecks: true,
  allowedBranches: true,
  autoPromoteBranches: true,
} as const;

export interface EnvironmentSettings {
  id: string;
  key: string;
  name: string;
  description: string | null;
  color: string;
  url: string | null;
  protected: boolean;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  flagChangeApprovals: number;
  soakMinutes: number;
  autoPromote: boolean;
  requireSecondFactor: boolean;
  secondFactorMaxAgeMinutes: number;
  position: number;
  requiredChecks: string[];
  allowedBranches: string[];
  autoPromoteBranches: string[];
}

export const updateEnvironmentSettings = defineOperation({
  name: "environment.update",
  permission: "environment.manage",
  input: settingsInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: async ({ actor, input, environment, ctx }): Promise<EnvironmentSettings> => {
    const env = environment;
    const saved = await transaction(
      ctx,
      async (tx) => {
        // every stage, locked in id order: ids never change, so concurrent reorders take the
        // locks in the same order (no deadlock) and run one after the other; FOR UPDATE returns
        // the latest committed positions, so each one sees the order the previous one left
        const rows = await tx.$queryRaw<{ id: string; key: string; position: number }[]>`
          select id, key, position from "Environment" order by id for update`;
        const before = [...rows].sort((a, b) => a.position - b.position || (a.key < b.key ? -1 : 1));
        const target = before.find((r) => r.id === env.id);
        if (!target) throw new NotFoundError(`Environment "${input.environmentKey}"`);
        if (input.position > before.length - 1)
          throw new ValidationError(INVALID, { position: [`Choose a place from 1 to ${before.length}`] });
        const after = before.filter((r) => r.id !== env.id);
        after.splice(input.position, 0, target);
        // gaps and duplicates left by older data are closed too: positions become 0 … n-1
        await tx.$executeRaw`
          update "Environment" e set position = v.position
          from unnest(${after.map((r) => r.id)}::uuid[], ${after.map((_, i) => i)}::int[]) as v(id, position)
          where e.id = v.id and e.position <> v.position`;
        const old = await tx.environment.findUniqueOrThrow({ where: { id: env.id }, select: settingsColumns });
        const { environmentKey: _, ...fields } = input;
        const updated = await tx.environment.update({
          where: { id: env.id },
          data: fields,
          select: settingsColumns,
        });
        const { id: _id, ...previous } = { ...old, position: target.position };
        const { id: _id2, ...next } = updated;
        await audit(tx, actor, {
          action: "environment.update",
          entityType: "Environment",
          entityId: env.id,
          environmentId: env.id,
          before: { ...previous, pipeline: before.map((r) => r.key) },
          after: { ...next, pipeline: after.map((r) => r.key) },
        });
        return updated;
      },
      // reorders queue behind each other's locks
      { maxWait: 10_000, timeout: 20_000 },
    );
    // new rules may let a waiting candidate through (auto-promotion turned on, a shorter soak,
    // fewer approvals): asked once committed, outside the locks on every stage
    await promoteWhatNowPasses(ctx, env.id);
    return saved;
  },
});

// ---------------------------------------------------------------------------------------------
// checklist.template.update
// ---------------------------------------------------------------------------------------------
