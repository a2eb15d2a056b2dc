import type { DeployContext, RolloutStepContext, StepAction } from "./provider";

/**
 * The step a provider call carries out, as every provider reports it to its target (environment
 * variables, webhook events, workflow inputs). The action is the method called; the step's place
 * in the plan comes from ctx.step. Without ctx.step (a direct deploy's single step) the index is
 * -1, the deploy's, and the traffic share is what the release gets once the call is done: all of
 * it for a direct deploy, none after a rollback.
 */
export function stepFor(ctx: DeployContext, action: StepAction, percent?: number): RolloutStepContext {
  const step = ctx.step;
  const fallback = action === "deploy" && ctx.strategy === "direct" ? 100 : 0;
  return {
    index: step?.index ?? -1,
    count: step?.count ?? 0,
    action,
    trafficPercent: percent ?? step?.trafficPercent ?? fallback,
  };
}

/** The version a step puts in place: a rollback puts the previous one back. */
export function versionFor(ctx: DeployContext, action: StepAction): string {
  return action === "rollback" ? (ctx.release.previousVersion ?? "") : ctx.release.version;
}
