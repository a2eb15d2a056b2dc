// An environment's settings, for holders of environment.manage there: its gates and place in
// the pipeline, its checklist template, its freeze windows, its rollout (strategy, steps, queue
// policy, health checks) and its deploy targets. Each operation resolves the environment by key
// (404), then changes it and writes its audit row (before/after) in one transaction. One file per verb; this is their
// public surface.
export { getEnvironmentSettings, type EnvironmentSettingsPage, type EnvironmentSettingsRefusal } from "./settings-read";
export { updateEnvironmentSettings, type EnvironmentSettings, type EnvironmentSettingsInput } from "./settings-update";
export { updateChecklistTemplate, type ChecklistTemplateInput } from "./checklist-template";
export { createFreezeWindow, freezeInstant, type FreezeWindowCreateInput } from "./freeze-create";
export { deleteFreezeWindow } from "./freeze-delete";
export { updateRolloutSettings, type RolloutSettingsInput } from "./rollout-update";
export { viewRolloutSettings, type EffectiveRollout } from "./rollout-view";
export { saveDeployTarget, deleteDeployTarget, type DeployTargetSaveInput } from "./deploy-target-save";
export { testDeployTarget, type ConnectionTestResult } from "./deploy-target-test";
export type { DeployTargetRow, DeployTargetView, ProviderChoice, RolloutSettings } from "./deploy-targets-read";
