import { providerFor } from "../deploy/registry";
import { nextMove } from "../domain/rollout-engine";
import { INTERRUPTED } from "../data/deployments";
import { claimStep, recordMove, resumeCall, staleCalls, type StaleCall } from "../data/deployments/rollout";
import type { RolloutOptions } from "./rollout";

// Provider calls whose worker is gone (a crash, a kill, a stop past its grace period). A call
// whose provider remembered its remote work (a workflow run) is followed by another worker; any
// other is never made a second time: the step fails as interrupted, which the rollout engine
// turns into a failed deploy (nothing reached traffic yet) or a rollback (traffic had moved).

function followable(call: StaleCall): boolean {
  if (!call.providerRef) return false;
  const provider = providerFor(call.target, "the deployment");
  return typeof provider !== "string" && provider.follow !== undefined;
}

/** Ends one cut-off call as interrupted. False when it was no longer in flight. */
export async function interruptCall(call: StaleCall, reason: string): Promise<boolean> {
  const job = await claimStep(call.id, call.stepVersion, { statuses: ["running", "paused", "rolling_back"] });
  if (!job) return false;
  const move = nextMove(job, { type: "provider", result: "failed", reason }, new Date());
  await recordMove(job, move, { message: reason, interrupted: true });
  return true;
}

export async function reconcileInFlight(
  staleSeconds: number,
  _options: RolloutOptions = {},
  ids?: string[],
  reason = INTERRUPTED,
): Promise<{ failed: string[]; resumed: string[] }> {
  const failed: string[] = [];
  const resumed: string[] = [];
  for (const call of await staleCalls(staleSeconds, ids)) {
    if (followable(call)) {
      if (await resumeCall(call)) resumed.push(call.id);
    } else if (await interruptCall(call, reason)) failed.push(call.id);
  }
  return { failed, resumed };
}
