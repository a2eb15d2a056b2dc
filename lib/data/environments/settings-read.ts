import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { formatFreezeEnd, freezeOccurrence } from "@/lib/domain/freeze";
import { db } from "../../db";
import type { ChecklistTemplateSummary, FreezeWindowSummary } from "./read";
import { ForbiddenError, NotFoundError } from "../errors";
import { environmentByKey } from "./by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { readEnvironments, type EnvironmentSummary } from "../pipeline";

import { asFreezeInput, readChecklist, readFreezeWindows } from "./settings-shared";
import {
  providerChoices,
  readDeployTargets,
  readRolloutSettings,
  type DeployTargetRow,
  type ProviderChoice,
  type RolloutSettings,
} from "./deploy-targets-read";
import { viewRolloutSettings, type EffectiveRollout } from "./rollout-view";

// The settings page's data, for holders of environment.manage there.

export interface EnvironmentSettingsPage {
  asOf: Date;
  environment: EnvironmentSummary;
  /** every stage in order, for the "order" choice; stages the viewer may not see have no name */
  pipeline: { key: string; name: string | null }[];
  checklist: ChecklistTemplateSummary | null;
  /** weekly windows and one-off windows that have not ended, as on the environment page */
  freezeWindows: FreezeWindowSummary[];
  /** the windows freezing the environment now, each with when its current occurrence ends */
  activeFreezes: { id: string; until: string }[];
  rollout: RolloutSettings;
  /** every application, with its deploy target here or null */
  targets: DeployTargetRow[];
  providers: ProviderChoice[];
}

/** What the settings page shows someone who may view the environment but not manage it. */
export interface EnvironmentSettingsRefusal {
  allowed: false;
  environment: { key: string; name: string };
  /** the rollout and targets as they are, read-only; null when even that is refused */
  effective: EffectiveRollout | null;
}

/**
 * The settings page's data. An environment the actor may not view is unknown (NotFoundError);
 * one they may view but not manage is a refusal, recorded as authz.denied like any other.
 */
const settingsRead = defineOperation({
  name: "environment.settings.view",
  permission: "environment.manage",
  scope: "environment",
  hidden: "not_found",
  effect: "read",
  input: z.object({ environmentKey }),
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, environment }) => readSettings(actor, environment.id),
});

export async function getEnvironmentSettings(
  actor: Actor,
  key: string,
): Promise<({ allowed: true } & EnvironmentSettingsPage) | EnvironmentSettingsRefusal> {
  try {
    return await settingsRead(actor, { environmentKey: key });
  } catch (e) {
    if (e instanceof ForbiddenError && e.denial?.environment)
      return {
        allowed: false,
        environment: { key, name: e.denial.environment.name },
        effective: await viewRolloutSettings(actor, { environmentKey: key }).catch((v: unknown) => {
          if (v instanceof ForbiddenError || v instanceof NotFoundError) return null;
          throw v;
        }),
      };
    throw e;
  }
}

async function readSettings(actor: Actor, environmentId: string): Promise<{ allowed: true } & EnvironmentSettingsPage> {
  const asOf = new Date();
  const [visible, all] = await Promise.all([
    readEnvironments(actor),
    db().environment.findMany({ select: { id: true, key: true }, orderBy: [{ position: "asc" }, { key: "asc" }] }),
  ]);
  const environment = visible.find((e) => e.id === environmentId);
  if (!environment) throw new NotFoundError("Environment");
  const [checklist, freezeWindows, rollout] = await Promise.all([
    readChecklist(db(), environment.id),
    readFreezeWindows(environment.id, asOf),
    readRolloutSettings(db(), environment.id),
  ]);
  const targets = await readDeployTargets(db(), environment.id, rollout.strategy);
  const names = new Map(visible.map((e) => [e.id, e.name]));
  return {
    allowed: true,
    asOf,
    environment,
    pipeline: all.map((e) => ({ key: e.key, name: names.get(e.id) ?? null })),
    checklist,
    freezeWindows,
    rollout,
    targets,
    providers: providerChoices(),
    activeFreezes: freezeWindows.flatMap((w) => {
      const occurrence = freezeOccurrence(asFreezeInput(w), asOf);
      return occurrence ? [{ id: w.id, until: formatFreezeEnd(occurrence.endsAt, w.timeZone, asOf) }] : [];
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading and shaping rows
// ---------------------------------------------------------------------------------------------
