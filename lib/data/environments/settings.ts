// An environment's settings, for holders of environment.manage there: its gates and place in
// the pipeline, its checklist template and its freeze windows. Rollout and health settings are
// not edited here. Each operation resolves the environment by key (404), then changes it and
// writes its audit row (before/after) in one transaction. One file per verb; this is their
// public surface.
export { getEnvironmentSettings, type EnvironmentSettingsPage, type EnvironmentSettingsRefusal } from "./settings-read";
export { updateEnvironmentSettings, type EnvironmentSettings, type EnvironmentSettingsInput } from "./settings-update";
export { updateChecklistTemplate, type ChecklistTemplateInput } from "./checklist-template";
export { createFreezeWindow, freezeInstant, type FreezeWindowCreateInput } from "./freeze-create";
export { deleteFreezeWindow } from "./freeze-delete";
