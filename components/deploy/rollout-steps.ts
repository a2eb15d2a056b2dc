import type { DeploymentView } from "@/lib/data/deployments/view";
import type { Tone } from "@/lib/domain/status";

// The deployment page's stepper, worked out from the plan and the step rows the worker wrote:
// the deploy, the smoke check of the idle colour (blue-green, canary), each traffic step of the
// plan with its share, and the rollback if one ran. A step
// of the plan with no row yet is pending while the rollout may still reach it, and skipped once
// the deployment has ended without it. Pure, so it is tested without a page.

export type StepState =
  "pending" | "running" | "analysing" | "awaiting" | "paused" | "succeeded" | "failed" | "skipped";

export const STEP_STATE_META: Record<
  StepState,
  { label: string; tone: Tone; icon: "circle" | "spinner" | "clock" | "pause" | "check" | "cross" | "skip" }
> = {
  pending: { label: "Pending", tone: "neutral", icon: "circle" },
  running: { label: "Running", tone: "progress", icon: "spinner" },
  analysing: { label: "Checking health", tone: "progress", icon: "spinner" },
  awaiting: { label: "Awaiting report", tone: "progress", icon: "clock" },
  paused: { label: "Paused", tone: "progress", icon: "pause" },
  succeeded: { label: "Succeeded", tone: "success", icon: "check" },
  failed: { label: "Failed", tone: "danger", icon: "cross" },
  skipped: { label: "Skipped", tone: "neutral", icon: "skip" },
};

/** A row's status as the worker wrote it (free text in the table), as a state the page knows. */
export function stepState(status: string): StepState {
  return status in STEP_STATE_META ? (status as StepState) : "running";
}

export interface StepEntry {
  key: string;
  action: "deploy" | "smoke" | "traffic" | "rollback";
  /** "Deploy 2.4.0 to the idle colour", "Smoke check of the idle colour", "5 % of traffic", "Roll back to 2.3.1" */
  title: string;
  trafficPercent: number | null;
  /** how long the plan watches health after it, in seconds (traffic steps) */
  pauseSeconds: number | null;
  state: StepState;
  startedAt: Date | null;
  finishedAt: Date | null;
  message: string | null;
  /** the step the rollout is at now */
  current: boolean;
}

type Source = Pick<
  DeploymentView,
  "kind" | "status" | "strategy" | "plan" | "currentStep" | "steps" | "release" | "previousRelease" | "color"
>;

const ACTIVE = new Set(["queued", "running", "paused", "rolling_back"]);

export function stepEntries(view: Source): StepEntry[] {
  const ended = !ACTIVE.has(view.status);
  const rowOf = (action: string, index: number) => view.steps.find((s) => s.action === action && s.index === index);
  const fromRow = (row: Source["steps"][number] | undefined) =>
    row
      ? { state: stepState(row.status), startedAt: row.startedAt, finishedAt: row.finishedAt, message: row.message }
      : {
          state: ended ? ("skipped" as const) : ("pending" as const),
          startedAt: null,
          finishedAt: null,
          message: null,
        };
  const entries: StepEntry[] = [];

  if (view.kind === "promotion") {
    const deploy = rowOf("deploy", -1);
    entries.push({
      key: "deploy",
      action: "deploy",
      title:
        view.strategy === "direct"
          ? `Deploy ${view.release.version}`
          : `Deploy ${view.release.version} to the idle colour${view.color ? ` (${view.color})` : ""}`,
      trafficPercent: view.strategy === "direct" ? 100 : null,
      pauseSeconds: null,
      ...fromRow(deploy),
      current: false,
    });
    // the smoke check, unless the deployment went past its deploy without one (it predates them)
    const smoke = rowOf("smoke", -1);
    if (view.strategy !== "direct" && (smoke || !view.steps.some((s) => s.action === "traffic")))
      entries.push({
        key: "smoke",
        action: "smoke",
        title: `Smoke check of the idle colour${view.color ? ` (${view.color})` : ""}, before any traffic`,
        trafficPercent: null,
        pauseSeconds: null,
        ...fromRow(smoke),
        current: false,
      });
    if (view.strategy !== "direct")
      view.plan.forEach((step, i) => {
        entries.push({
          key: `traffic-${i}`,
          action: "traffic",
          title: `${step.percent} % of traffic`,
          trafficPercent: step.percent,
          pauseSeconds: step.pauseSeconds,
          ...fromRow(rowOf("traffic", i)),
          current: false,
        });
      });
  }

  // a rollback deployment is nothing but its rollback; a promotion shows one only when it ran
  const rollbacks = view.steps.filter((s) => s.action === "rollback");
  const backTo = view.kind === "rollback" ? view.release.version : (view.previousRelease?.version ?? null);
  const rollbackTitle = backTo ? `Roll back to ${backTo}` : "Roll back";
  if (rollbacks.length === 0 && view.kind === "rollback")
    entries.push({
      key: "rollback",
      action: "rollback",
      title: rollbackTitle,
      trafficPercent: null,
      pauseSeconds: null,
      ...fromRow(undefined),
      current: false,
    });
  for (const row of rollbacks)
    entries.push({
      key: `rollback-${row.index}`,
      action: "rollback",
      title: rollbackTitle,
      trafficPercent: null,
      pauseSeconds: null,
      ...fromRow(row),
      current: false,
    });

  // the step at work now: the last one begun and not ended, while the deployment moves
  if (!ended) {
    const at = entries.findLastIndex((e) => e.state !== "pending" && e.state !== "skipped");
    const entry = entries[at];
    if (entry && entry.finishedAt === null) entry.current = true;
  }
  return entries;
}

type ProgressSource = Pick<
  DeploymentView,
  "kind" | "status" | "phase" | "strategy" | "plan" | "currentStep" | "trafficPercent" | "queuePosition" | "skipPauses"
>;

/** Where the rollout stands, in a few words beside its status: "Checking health at 5 % of traffic". */
export function progressText(view: ProgressSource): string | null {
  const at = `${view.trafficPercent} % of traffic`;
  switch (view.status) {
    case "queued":
      if (view.queuePosition && view.queuePosition > 0)
        return `Waiting in the queue: ${view.queuePosition} ${view.queuePosition === 1 ? "deployment" : "deployments"} ahead of it`;
      return "Waiting for the deployment in progress to finish, or for a deploy worker";
    case "paused":
      return `Paused at ${at}`;
    case "rolling_back":
      return "Putting the previous release back";
    case "running": {
      const skip = view.skipPauses ? " (remaining pauses skipped)" : "";
      if (view.kind === "rollback") return "Rolling back";
      if (view.phase === "deploy")
        return view.strategy === "direct" ? "Deploying" : "Deploying to the idle colour, no traffic yet";
      if (view.phase === "smoke") return "Smoke-checking the idle colour, no traffic yet";
      if (view.phase === "shift") {
        const target = view.plan[view.currentStep]?.percent;
        return target === undefined ? "Moving traffic" : `Moving traffic to ${target} %${skip}`;
      }
      if (view.phase === "analyse") return `Checking health at ${at}${skip}`;
      if (view.phase === "await") return "Waiting for the deploy target to report the step's outcome";
      return null;
    }
    default:
      return null;
  }
}
