import type { EnvironmentSummary } from "@/lib/data/pipeline";
import { formatMinutes, plural } from "@/components/ui/format";

const STRATEGY_LABELS = { direct: "Direct", blue_green: "Blue-green", canary: "Canary" } as const;

export function strategyLabel(strategy: EnvironmentSummary["rolloutStrategy"]): string {
  return STRATEGY_LABELS[strategy];
}

/** What it takes to get into an environment, in a few words: "2 approvals · soak 1 h". */
export function gateSummary(environment: EnvironmentSummary): string {
  const parts: string[] = [];
  if (environment.requiredApprovals > 0) parts.push(plural(environment.requiredApprovals, "approval"));
  if (environment.soakMinutes > 0) parts.push(`soak ${formatMinutes(environment.soakMinutes)}`);
  if (environment.autoPromote) parts.push("auto-promote");
  return parts.length ? parts.join(" · ") : "No gates";
}

/** Gates plus the rollout when it is not a plain replacement: the board's column subtitle. */
export function stageSummary(environment: EnvironmentSummary): string {
  const gates = gateSummary(environment);
  if (environment.rolloutStrategy === "direct") return gates;
  const strategy = strategyLabel(environment.rolloutStrategy).toLowerCase();
  return environment.requiredApprovals || environment.soakMinutes || environment.autoPromote
    ? `${gates} · ${strategy}`
    : strategy;
}
