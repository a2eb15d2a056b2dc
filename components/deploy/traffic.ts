import type { DeploymentView } from "@/lib/data/deployments/view";

// Who takes the traffic now: the release this deployment brings at its trafficPercent, and what
// ran before at the rest. Names a colour where the strategy has them (blue-green, canary), so the
// picture and its text say the same thing. Pure, so it is tested without a page.

export interface TrafficSide {
  /** "2.4.0", or "Nothing" on a first deploy */
  version: string;
  color: "blue" | "green" | null;
  percent: number;
  /** the release this deployment brings (true) or what ran before it (false) */
  incoming: boolean;
}

export interface TrafficSplit {
  previous: TrafficSide;
  next: TrafficSide;
  /** one sentence for screen readers and the figure's caption */
  text: string;
}

type Source = Pick<
  DeploymentView,
  "kind" | "trafficPercent" | "release" | "previousRelease" | "color" | "previousColor"
>;

const clamp = (n: number) => Math.min(100, Math.max(0, Math.round(Number.isFinite(n) ? n : 0)));

function name(side: TrafficSide): string {
  return side.color ? `${side.version} (${side.color})` : side.version;
}

export function trafficSplit(view: Source): TrafficSplit {
  const percent = clamp(view.trafficPercent);
  const next: TrafficSide = { version: view.release.version, color: view.color, percent, incoming: true };
  const previous: TrafficSide = {
    version: view.previousRelease?.version ?? "Nothing",
    color: view.previousColor,
    percent: 100 - percent,
    incoming: false,
  };
  let text: string;
  if (!view.previousRelease) text = `${name(next)} takes ${percent} % of traffic; nothing ran here before it.`;
  else if (percent === 0) text = `All traffic goes to ${name(previous)}; ${name(next)} takes none yet.`;
  else if (percent === 100) text = `All traffic goes to ${name(next)}; ${name(previous)} takes none.`;
  else text = `${name(next)} takes ${percent} % of traffic; ${name(previous)} takes ${100 - percent} %.`;
  return { previous, next, text };
}
