import { monepiceriz } from "../prisma/presets/000-monepiceriz";
import { ledgerline } from "../prisma/presets/001-ledgerline";
import { amarise } from "../prisma/presets/002-amarise";
import { microbima } from "../prisma/presets/003-microbima";
import { studysphere } from "../prisma/presets/004-studysphere";
import type { Preset, PresetEnvironment } from "../prisma/presets/types";

// Who moves a release through each seed organisation's pipeline, by the preset's own matrix
// (prisma/presets/*.ts) and seed document (../shared/seeds/). People are named by the part of
// their email before the @. The environments, their gates and checklists come from the preset
// itself; e2e/presets.spec.ts checks that each walk covers every gate before walking it.

export interface StageHands {
  /** ticks every required item of this environment's checklist, whenever it is due */
  tick?: string;
  /** approve, in this order */
  approve?: string[];
  /** presses Promote; null: the environment promotes by itself with nothing to wait for */
  promote: string | null;
}

export interface Walk {
  preset: Preset;
  /** the application whose release walks (its key) */
  application: string;
  /** creates the release through the form */
  author: string;
  /** the branch the release is built from, where the preset's branch rules ask for one */
  branch?: string;
  /** by environment key */
  stages: Record<string, StageHands>;
}

export const WALKS: Walk[] = [
  {
    // ADR-005: production is operations' (DevOps may only deploy there), and the product owner
    // approves it. Production asks for a second factor: the product owner and operations set up
    // an authenticator app first (secondFactorPeople). Staging's QA validation is worked through
    // while the release runs there, before production, which QA may not see (ADR-005 gives QA no
    // access to production): QA finds it on the release page all the same, and ticks it.
    preset: monepiceriz,
    application: "storefront",
    author: "diego.developer",
    stages: {
      development: { promote: null },
      staging: { tick: "quentin.qa", promote: "dana.devops" },
      production: { approve: ["priya.product-owner"], tick: "omar.operations", promote: "omar.operations" },
    },
  },
  {
    // developers deploy dev themselves; the release manager approves production and works
    // through its approval checklist; the release engineer is the only one deploying there
    preset: ledgerline,
    application: "platform",
    author: "diego.developer",
    stages: {
      development: { promote: "diego.developer" },
      staging: { tick: "quentin.qa", promote: "erik.release-engineer" },
      production: {
        approve: ["rita.release-manager"],
        tick: "rita.release-manager",
        promote: "erik.release-engineer",
      },
    },
  },
  {
    // DevOps runs the pipeline and the production deployment checklist; the product owner signs off
    preset: amarise,
    application: "storefront",
    author: "diego.developer",
    stages: {
      development: { promote: null },
      staging: { promote: "dana.devops" },
      production: { approve: ["priya.product-owner"], tick: "dana.devops", promote: "dana.devops" },
    },
  },
  {
    // staging deploys on push; production takes the product owner's review and DevOps' checks
    preset: microbima,
    application: "internal-api",
    author: "diego.developer",
    // a push to the staging branch: staging deploys it by itself, production takes it
    branch: "staging",
    stages: {
      staging: { promote: null },
      production: { approve: ["priya.product-owner"], tick: "dana.devops", promote: "dana.devops" },
    },
  },
  {
    // QA approves testing and works through the checklists; the tech lead deploys; the product
    // owner approves production
    preset: studysphere,
    application: "web",
    author: "diego.developer",
    stages: {
      development: { tick: "diego.developer", promote: "diego.developer" },
      testing: { approve: ["quentin.qa"], tick: "quentin.qa", promote: "tomas.tech-lead" },
      production: { approve: ["priya.product-owner"], tick: "quentin.qa", promote: "tomas.tech-lead" },
    },
  },
];

/**
 * Who acts (ticks, approves, promotes) in an environment of the walk that asks for a second
 * factor: they set up an authenticator app before the walk, and enter a code when asked.
 */
export function secondFactorPeople(walk: Walk): string[] {
  const names = new Set<string>();
  for (const environment of walk.preset.environments) {
    if (environment.secondFactorMinutes === undefined) continue;
    const hands = walk.stages[environment.key];
    for (const name of [hands?.tick, ...(hands?.approve ?? []), hands?.promote]) if (name) names.add(name);
  }
  return [...names];
}

/** A person's email in the preset. */
export function emailOf(preset: Preset, name: string): string {
  const user = preset.users.find((u) => u.email.startsWith(`${name}@`));
  if (!user) throw new Error(`${preset.name} has no user ${name}`);
  return user.email;
}

/**
 * The checklists with required items that gate the promotion into the `index`-th environment:
 * its own pre-deployment one (before_entry) and the one of the environment before it that is
 * worked through while the release runs there (before_exit).
 */
export function gatingChecklists(preset: Preset, index: number): PresetEnvironment[] {
  const timing = (env: PresetEnvironment) => preset.checklists[env.key]?.timing ?? "before_entry";
  const required = (env: PresetEnvironment) => preset.checklists[env.key]?.items.some((i) => i.required) ?? false;
  const previous = preset.environments[index - 1];
  const own = preset.environments[index];
  return [
    previous && timing(previous) === "before_exit" ? previous : null,
    own && timing(own) === "before_entry" ? own : null,
  ].filter((env): env is PresetEnvironment => env !== null && required(env));
}

/** What a walk leaves out: a gate of the preset that nobody in it takes care of. */
export function uncovered(walk: Walk): string[] {
  const { preset } = walk;
  const problems: string[] = [];
  const named = [walk.author, ...Object.values(walk.stages).flatMap((h) => [h.tick, ...(h.approve ?? []), h.promote])];
  for (const name of new Set(named))
    if (name && !preset.users.some((u) => u.email.startsWith(`${name}@`)))
      problems.push(`${name} is not a user of ${preset.name}`);
  preset.environments.forEach((env, index) => {
    const hands = walk.stages[env.key];
    if (!hands) return problems.push(`nobody acts in ${env.name}`);
    for (const list of gatingChecklists(preset, index))
      if (!walk.stages[list.key]?.tick) problems.push(`nobody ticks ${list.name}'s checklist`);
    if ((hands.approve?.length ?? 0) < env.requiredApprovals)
      problems.push(`${env.name} needs ${env.requiredApprovals} approval(s)`);
    if (hands.promote === null && !env.autoPromote) problems.push(`nobody promotes to ${env.name}`);
  });
  return problems;
}
