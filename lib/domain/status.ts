// Deployment statuses and how they read. Every status carries a label and an icon shape as well
// as a tone, so a badge still says what it means to someone who cannot tell the colours apart.

import type { DeploymentStatus } from "./deployment-state";

export {
  DEPLOYMENT_STATUSES,
  isActiveStatus,
  isDeploymentStatus,
  type ActiveStatus,
  type DeploymentStatus,
} from "./deployment-state";

/** Colour families; the UI maps each to a palette (green, amber, red, violet, gray, sky). */
export type Tone = "success" | "progress" | "danger" | "rollback" | "neutral" | "info";

/** Shapes the UI draws for a status; names, not components, so this module stays pure. */
export type IconName =
  | "check"
  | "clock"
  | "spinner"
  | "pause"
  | "cross"
  | "undo"
  | "rewind"
  | "slash"
  | "arrow"
  | "dash"
  | "circle"
  | "skip"
  | "question";

export interface StatusMeta {
  label: string;
  tone: Tone;
  icon: IconName;
  /** one sentence for titles and screen readers */
  description: string;
}

export const DEPLOYMENT_STATUS_META: Record<DeploymentStatus, StatusMeta> = {
  queued: {
    label: "Queued",
    tone: "progress",
    icon: "clock",
    description: "Waiting for a deploy worker to pick it up",
  },
  running: { label: "Running", tone: "progress", icon: "spinner", description: "Being deployed now" },
  paused: {
    label: "Paused",
    tone: "progress",
    icon: "pause",
    description: "Rolled out part of the way; waiting before the next traffic step",
  },
  rolling_back: {
    label: "Rolling back",
    tone: "rollback",
    icon: "rewind",
    description: "Putting the previous release back",
  },
  succeeded: { label: "Succeeded", tone: "success", icon: "check", description: "Deployed successfully" },
  failed: { label: "Failed", tone: "danger", icon: "cross", description: "The deploy failed" },
  rolled_back: {
    label: "Rolled back",
    tone: "rollback",
    icon: "undo",
    description: "Deployed, then rolled back to the previous release",
  },
  cancelled: { label: "Cancelled", tone: "neutral", icon: "slash", description: "Stopped before it finished" },
};
