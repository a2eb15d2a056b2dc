// Where a rollout goes next. A running deployment is at a phase of its plan (deploying,
// smoke-checking the idle colour, moving traffic to step i, watching health at step i, waiting
// for a receiver's report, rolling back);
// each job the worker runs produces one outcome (a provider's result, a round of health
// measurements, a report, a deadline passing), and this decides the one move that follows.
// Pure: the worker records the move and sends the next job in one transaction.

import type { DeploymentStatus } from "./deployment-state";
import type { RolloutStep, RolloutStrategy } from "./rollout";

export const DEPLOYMENT_PHASES = ["deploy", "smoke", "shift", "analyse", "await", "rollback", "done"] as const;
export type DeploymentPhase = (typeof DEPLOYMENT_PHASES)[number];

export const DEPLOYMENT_KINDS = ["promotion", "rollback"] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

/** The step index of the deploy itself, before any traffic moves. */
export const DEPLOY_STEP = -1;

export interface RolloutPosition {
  kind: DeploymentKind;
  status: DeploymentStatus;
  strategy: RolloutStrategy;
  plan: readonly RolloutStep[];
  currentStep: number;
  phase: DeploymentPhase;
  skipPauses: boolean;
  stepEndsAt: Date | null;
}

export type StepOutcome =
  /** the provider's answer for the phase's call (deploy, shift or rollback) */
  | { type: "provider"; result: "ok" }
  | { type: "provider"; result: "pending"; timeoutSeconds: number }
  | { type: "provider"; result: "failed"; reason: string }
  /** one round of health measurements (in the smoke phase: of the idle colour, before any traffic) */
  | { type: "health"; outcome: "success" | "failure" | "inconclusive"; reason: string; intervalSeconds: number }
  /** a receiver reported the awaited step (webhook callback) */
  | { type: "report"; ok: true }
  | { type: "report"; ok: false; reason: string }
  /** the awaited report never came */
  | { type: "deadline"; waitedSeconds: number };

export type RolloutMove =
  /** blue-green and canary, once deployed: one round of HTTP checks against the idle colour */
  | { to: "smoke" }
  | { to: "shift"; step: number }
  /** the first health round of `step`, now; watching goes on until endsAt */
  | { to: "analyse"; step: number; endsAt: Date }
  /** the next health round of the same step, at `at` */
  | { to: "analyse_again"; at: Date }
  | { to: "await"; deadline: Date }
  | { to: "succeed" }
  /** nothing reached traffic (or nothing to put back): the deployment fails */
  | { to: "fail"; reason: string }
  /** traffic moved: put the previous release back */
  | { to: "rollback"; reason: string }
  | { to: "rolled_back" }
  | { to: "pause"; reason: string }
  /** the rollback itself failed: a person must look */
  | { to: "rollback_failed"; reason: string };

/** The share of traffic the new release has once `phase` at `step` is done. */
export function trafficAt(position: Pick<RolloutPosition, "strategy" | "plan">, step: number): number {
  if (step === DEPLOY_STEP) return position.strategy === "direct" ? 100 : 0;
  return position.plan[step]?.percent ?? 100;
}

/** Which provider call a phase makes, if any. */
export function phaseAction(position: Pick<RolloutPosition, "phase">): "deploy" | "traffic" | "rollback" | null {
  if (position.phase === "deploy") return "deploy";
  if (position.phase === "shift") return "traffic";
  if (position.phase === "rollback") return "rollback";
  return null;
}

/** What a call that ended well leads to, for the action that was made (or awaited). */
function afterSuccess(p: RolloutPosition, action: "deploy" | "traffic" | "rollback", now: Date): RolloutMove {
  if (action === "rollback") return p.kind === "rollback" ? { to: "succeed" } : { to: "rolled_back" };
  if (action === "deploy") {
    // direct: the release takes all traffic now; watch it once. Otherwise the idle colour is
    // smoke-checked before the first step moves traffic to it.
    if (p.strategy === "direct") return { to: "analyse", step: 0, endsAt: now };
    return { to: "smoke" };
  }
  const pause = p.skipPauses ? 0 : (p.plan[p.currentStep]?.pauseSeconds ?? 0);
  return { to: "analyse", step: p.currentStep, endsAt: new Date(now.getTime() + pause * 1000) };
}

/** What a failed call (or report) leads to. */
function afterFailure(p: RolloutPosition, action: "deploy" | "traffic" | "rollback", reason: string): RolloutMove {
  if (action === "rollback") return p.kind === "rollback" ? { to: "fail", reason } : { to: "rollback_failed", reason };
  // a blue-green or canary deploy goes to the idle colour: no traffic reached it yet
  if (action === "deploy") return { to: "fail", reason };
  return { to: "rollback", reason };
}

/**
 * The smoke check's round decides whether traffic may move at all. Nothing reached the new
 * colour yet, so a failure simply fails the deployment (nothing to roll back); a round that
 * could not tell pauses for a person, as anywhere else.
 */
function afterSmoke(outcome: Extract<StepOutcome, { type: "health" }>): RolloutMove {
  if (outcome.outcome === "failure") return { to: "fail", reason: `The smoke check failed: ${outcome.reason}` };
  if (outcome.outcome === "inconclusive")
    return { to: "pause", reason: `The smoke check could not tell: ${outcome.reason}` };
  return { to: "shift", step: 0 };
}

/** The action a report or deadline answers: the one the await phase was entered for. */
export function awaitedAction(p: Pick<RolloutPosition, "kind" | "status" | "currentStep">) {
  if (p.status === "rolling_back" || p.kind === "rollback") return "rollback" as const;
  return p.currentStep === DEPLOY_STEP ? ("deploy" as const) : ("traffic" as const);
}

export function nextMove(p: RolloutPosition, outcome: StepOutcome, now: Date): RolloutMove {
  switch (outcome.type) {
    case "provider": {
      const action = phaseAction(p);
      if (!action) throw new Error(`a provider result in phase ${p.phase}`);
      if (outcome.result === "ok") return afterSuccess(p, action, now);
      if (outcome.result === "pending")
        return { to: "await", deadline: new Date(now.getTime() + outcome.timeoutSeconds * 1000) };
      return afterFailure(p, action, outcome.reason);
    }
    case "report":
    case "deadline": {
      if (p.phase !== "await") throw new Error(`a ${outcome.type} in phase ${p.phase}`);
      const action = awaitedAction(p);
      if (outcome.type === "report" && outcome.ok) return afterSuccess(p, action, now);
      const reason =
        outcome.type === "report"
          ? outcome.reason
          : `The receiver did not report the outcome within ${outcome.waitedSeconds} s`;
      return afterFailure(p, action, reason);
    }
    case "health": {
      if (p.phase === "smoke") return afterSmoke(outcome);
      if (p.phase !== "analyse") throw new Error(`a health round in phase ${p.phase}`);
      if (outcome.outcome === "failure") return { to: "rollback", reason: outcome.reason };
      if (outcome.outcome === "inconclusive") return { to: "pause", reason: outcome.reason };
      const endsAt = p.skipPauses ? now : (p.stepEndsAt ?? now);
      if (now.getTime() < endsAt.getTime()) {
        const at = Math.min(now.getTime() + outcome.intervalSeconds * 1000, endsAt.getTime());
        return { to: "analyse_again", at: new Date(at) };
      }
      const last = p.strategy === "direct" || p.currentStep >= p.plan.length - 1;
      return last ? { to: "succeed" } : { to: "shift", step: p.currentStep + 1 };
    }
  }
}
