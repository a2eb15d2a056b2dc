import type { Actor } from "../domain/access";
import { providerFor } from "../deploy/registry";
import {
  prepareVersionCheck,
  recordVersionCheck,
  unknownCells,
  type VersionAnswer,
  type VersionCheckPlan,
  type VersionCheckResult,
} from "../data/deployments/check";

// "What runs there?" after an interrupted deploy: lib/data decides who may ask and records the
// answer (lib/data/deployments/check.ts), the target's provider answers (lib/deploy). This entry
// point joins the two, as the deploy worker does for deploys.

const ASK_TIMEOUT_MS = 60_000;

/** Asks the target of `plan` what version it runs. Never throws: a failure is an answer too. */
export async function askTarget(plan: VersionCheckPlan): Promise<VersionAnswer> {
  const where = `${plan.application.key} in ${plan.environment.name}`;
  const provider = providerFor(plan.target, where);
  if (typeof provider === "string") return { ok: false, reason: provider };
  if (!provider.currentVersion)
    return {
      ok: false,
      reason: `the ${provider.kind} target of ${where} cannot report its version; the next deploy will confirm what runs`,
    };
  try {
    return await provider.currentVersion({
      application: { key: plan.application.key },
      environment: { key: plan.environment.key, url: plan.environment.url },
      signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
    });
  } catch (e) {
    return { ok: false, reason: `the provider failed: ${(e as Error).message}` };
  }
}

/**
 * "Check what runs" on a page: authorizes (deploy.trigger in the environment, refusals
 * recorded), asks the target and records the answer, audited as the person.
 */
export async function checkWhatRuns(actor: Actor, input: unknown): Promise<VersionCheckResult> {
  const plan = await prepareVersionCheck(actor, input);
  return recordVersionCheck(actor, plan, await askTarget(plan));
}

/**
 * The worker's own check, after it found interrupted deploys (and once at start): every cell
 * whose state is unknown and whose target can say is asked; an answer is recorded as the system.
 */
export async function checkUnknownCells(): Promise<VersionCheckResult[]> {
  const results: VersionCheckResult[] = [];
  for (const plan of await unknownCells()) {
    if (plan.busy) continue;
    const answer = await askTarget(plan);
    // a target that cannot say, or did not: nothing to record, the page offers the check
    if (answer.ok) results.push(await recordVersionCheck(null, plan, answer));
  }
  return results;
}
