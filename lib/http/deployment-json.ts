import type { Actor } from "@/lib/domain/access";
import type { DeploymentTickResult } from "@/lib/data/deployments/checklist-tick";
import { getDeployment, type DeploymentChecklistPart, type DeploymentView } from "@/lib/data/deployments/view";
import { NotFoundError } from "@/lib/data/errors";
import { publicUrl } from "@/lib/public-url";

// A deployment as the API returns it: what a pipeline waiting for the outcome needs (status,
// step, traffic, the latest health measurement per check, why it failed or paused) and links
// for people. `final` tells a polling script when to stop; `checklist` its "during" and "after"
// items, which CI may tick (PUT …/checklist/{item}).

const FINAL = new Set(["succeeded", "failed", "rolled_back", "cancelled"]);

function checklistPartJson(part: DeploymentChecklistPart) {
  return {
    closed: part.closed,
    items: part.items.map((i) => ({
      id: i.id,
      section: i.section,
      label: i.label,
      checked: i.checked,
      checkedBy: i.checkedBy,
      checkedAt: i.checkedAt?.toISOString() ?? null,
      note: i.note,
    })),
  };
}

export function deploymentJson(d: DeploymentView) {
  const latest = new Map<string, DeploymentView["measurements"][number]>();
  for (const m of d.measurements) latest.set(m.check, m);
  const url = (path: string) => new URL(path, publicUrl()).toString();
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    final: FINAL.has(d.status),
    phase: d.phase,
    strategy: d.strategy,
    application: d.application.key,
    environment: d.environment.key,
    version: d.release.version,
    previousVersion: d.previousRelease?.version ?? null,
    step: {
      current: d.currentStep,
      count: d.plan.length,
      plan: d.plan,
    },
    trafficPercent: d.trafficPercent,
    color: d.color,
    previousColor: d.previousColor,
    queuePosition: d.queuePosition,
    pauseReason: d.pauseReason,
    failureReason: d.failureReason,
    serviceUrl: d.serviceUrl,
    previewUrl: d.previewUrl,
    health: [...latest.values()].map((m) => ({
      check: m.check,
      kind: m.kind,
      outcome: m.outcome,
      value: m.value,
      message: m.message,
      at: m.at.toISOString(),
    })),
    steps: d.steps.map((s) => ({
      index: s.index,
      action: s.action,
      trafficPercent: s.trafficPercent,
      status: s.status,
      message: s.message,
      startedAt: s.startedAt.toISOString(),
      finishedAt: s.finishedAt?.toISOString() ?? null,
    })),
    queuedAt: d.queuedAt.toISOString(),
    startedAt: d.startedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
    checklist: { during: checklistPartJson(d.checklist.during), after: checklistPartJson(d.checklist.after) },
    links: { self: url(`/api/v1/deployments/${d.id}`), page: url(`/deployments/${d.id}`) },
  };
}

/**
 * The deployment a write just made or moved, as the caller may see it: in full, or, for a
 * token that may act in the environment but not view it, only its id, status and links (the
 * write happened; it must not read as a 404).
 */
export async function deploymentAfterWrite(
  actor: Actor,
  deploymentId: string,
  status: string,
): Promise<
  | ReturnType<typeof deploymentJson>
  | { id: string; status: string; final: boolean; links: { self: string; page: string } }
> {
  try {
    return deploymentJson(await getDeployment(actor, deploymentId));
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    const url = (path: string) => new URL(path, publicUrl()).toString();
    return {
      id: deploymentId,
      status,
      final: FINAL.has(status),
      links: { self: url(`/api/v1/deployments/${deploymentId}`), page: url(`/deployments/${deploymentId}`) },
    };
  }
}

/** The checklist item a tick just wrote, as the tick left it. */
export function checklistItemJson(result: DeploymentTickResult) {
  return {
    id: result.itemId,
    phase: result.phase,
    label: result.label,
    checked: result.checked,
    checkedAt: result.checkedAt?.toISOString() ?? null,
    note: result.note,
  };
}
