import "server-only";
import { z } from "zod";
import { sqlOf } from "../context";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { environmentByKey } from "./by-key";
import {
  readDeployTargets,
  readRolloutSettings,
  type DeployTargetRow,
  type RolloutSettings,
} from "./deploy-targets-read";

// The rollout and deploy targets of an environment as they are, read-only, for people who may
// view the environment but not manage it (the settings page shows them under its refusal).
// Without the stored settings themselves: the summary says what a target does.

export interface EffectiveRollout {
  rollout: RolloutSettings;
  targets: (Omit<DeployTargetRow, "target"> & {
    target: Omit<NonNullable<DeployTargetRow["target"]>, "config"> | null;
  })[];
}

export const viewRolloutSettings = defineOperation({
  name: "environment.rollout.view",
  permission: "environment.view",
  scope: "environment",
  hidden: "not_found",
  effect: "read",
  input: z.object({ environmentKey }),
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: async ({ environment, ctx }): Promise<EffectiveRollout> => {
    const sql = sqlOf(ctx);
    const rollout = await readRolloutSettings(sql, environment.id);
    const rows = await readDeployTargets(sql, environment.id, rollout.strategy);
    return {
      rollout,
      targets: rows.map(({ application, target }) => {
        if (!target) return { application, target: null };
        const { config: _config, ...shown } = target;
        return { application, target: shown };
      }),
    };
  },
});
