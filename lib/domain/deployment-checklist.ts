import type { DeploymentStatus } from "./deployment-state";

// When the items of a checklist template are worked through, and when a deployment's copies of
// them may be ticked. Pure: lib/data refuses a tick with these words (409), and the deployment
// page shows the same words beside a box that cannot be ticked yet.
//
//  - before: the release's checklist, the checklist gate (lib/domain/gates.ts); the template's
//    timing says whether before it deploys here or before it moves on.
//  - during: copied onto each promotion into the environment when it is queued; tickable once
//    it has started (a queued deployment may still be cancelled or replaced, and nothing has
//    been deployed to check), and afterwards too: a late record is better than none.
//  - after: tickable once the deployment has ended, whether it succeeded, failed or rolled back
//    (checking error logs and telling stakeholders matter most then).
// A deployment cancelled while queued never ran: its checklist is closed. A rollback gets no
// copies: it puts back what ran before, in a hurry, and its own record is the rollback's log.

export const CHECKLIST_PHASES = ["before", "during", "after"] as const;
export type ChecklistPhase = (typeof CHECKLIST_PHASES)[number];
export type DeploymentChecklistPhase = Exclude<ChecklistPhase, "before">;

export const CHECKLIST_PHASE_LABELS: Record<ChecklistPhase, string> = {
  before: "Before promotion (a gate)",
  during: "During the deployment",
  after: "After the deployment",
};

export const CHECKLIST_PHASE_HINTS: Record<ChecklistPhase, string> = {
  before: "Part of the release's checklist: a required item holds the promotion until it is ticked",
  during: "On each deployment here, tickable while it runs: never holds a promotion",
  after: "On each deployment here, tickable once it has finished: never holds a promotion",
};

/**
 * How long after its end a deployment's page stays live for its open checklist items: the
 * "after" list is worked through in the hours that follow; an old page does not poll for ever.
 */
export const CHECKLIST_LIVE_HOURS = 24;

/** Whether a deployment's page should keep following it for its checklist (see above). */
export function checklistKeepsLive(
  status: DeploymentStatus,
  finishedAt: Date | null,
  items: readonly { checked: boolean }[],
  now: Date,
): boolean {
  if (status === "cancelled" || !items.some((i) => !i.checked)) return false;
  return finishedAt === null || now.getTime() - finishedAt.getTime() < CHECKLIST_LIVE_HOURS * 3_600_000;
}

/** The phase a preset or an older template implies by its section's name, when it names none. */
export function phaseOfSection(section: string | null | undefined): ChecklistPhase {
  const s = (section ?? "").trim().toLowerCase();
  if (["deployment", "during deployment", "during the deployment"].includes(s)) return "during";
  if (["post-deployment", "post deployment", "postdeployment", "after deployment", "after the deployment"].includes(s))
    return "after";
  return "before";
}

/** null: the item may be ticked or unticked now; otherwise why not, as a sentence. */
export function deploymentChecklistClosed(phase: DeploymentChecklistPhase, status: DeploymentStatus): string | null {
  if (status === "cancelled") return "This deployment was cancelled before it started: its checklist is closed.";
  if (phase === "during")
    return status === "queued" ? "The deployment has not started yet: these items open when it does." : null;
  return status === "queued" || status === "running" || status === "paused" || status === "rolling_back"
    ? "The deployment is still under way: these items open once it has finished."
    : null;
}
