// What a release waits for before it may be promoted into an environment. Pure: lib/data reads
// the facts, this decides. The release page renders exactly this list, and the promote action
// evaluates it again inside its transaction, so what people see is what the server enforces.

import { branchAllowed, describePatterns } from "./branches";
import { activeFreeze, formatFreezeEnd, type FreezeWindowInput } from "./freeze";

export const GATE_KEYS = [
  "previous_stage",
  "branch",
  "soak",
  "approvals",
  "rejection",
  "checklist",
  "checks",
  "freeze",
] as const;
export type GateKey = (typeof GATE_KEYS)[number];

export const GATE_LABELS: Record<GateKey, string> = {
  previous_stage: "Previous stage",
  branch: "Branch rule",
  soak: "Soak time",
  approvals: "Approvals",
  rejection: "No rejection",
  checklist: "Checklist",
  checks: "Required checks",
  freeze: "No freeze",
};

export interface Gate {
  key: GateKey;
  passed: boolean;
  /** a sentence for the people waiting: why it passes, or what it still waits for */
  detail: string;
  /** the "checks" gate only: each required check as CI last reported it (missing: never reported) */
  checks?: RequiredCheck[];
}

export type CheckStatus = "pending" | "success" | "failure";

/** A CI check on the release that speaks for the environment (or for every environment). */
export interface CheckFact {
  name: string;
  status: CheckStatus;
  url: string | null;
}

export interface RequiredCheck {
  name: string;
  status: CheckStatus | "missing";
  url: string | null;
}

export interface GateDecision {
  userId: string;
  userName: string;
  decision: "approved" | "rejected";
  /** whether the user's roles hold release.approve in this environment now */
  mayApprove: boolean;
  decidedAt: Date;
}

export interface GateInput {
  now: Date;
  /** branch: what the release was built from (branch rules need it); absent reads as none */
  release: { authorId: string | null; branch?: string | null };
  environment: {
    name: string;
    requiredApprovals: number;
    preventSelfApproval: boolean;
    soakMinutes: number;
    /** branch patterns a release must come from to enter (empty or absent: any branch) */
    allowedBranches?: readonly string[];
    /** names of CI checks that must have succeeded (empty or absent: none) */
    requiredChecks?: readonly string[];
  };
  /** the stage before this one; null for the first environment */
  previous: { name: string; succeededAt: Date | null } | null;
  /** current decisions; a withdrawn one is simply absent */
  approvals: readonly GateDecision[];
  checklist: readonly { label: string; required: boolean; checked: boolean }[];
  freezeWindows: readonly FreezeWindowInput[];
  /** the release's CI checks that speak for this environment (their own, or every environment's) */
  checks?: readonly CheckFact[];
}

const FIRST_STAGE = "First stage: releases enter here";
const MAX_LISTED_ITEMS = 3;

/**
 * Every gate, always all of them and in GATE_KEYS order so the list never jumps around; a gate
 * that does not apply (no previous stage, no approvals required, no checklist, no branch rule,
 * no required check) passes and says why.
 */
export function evaluateGates(input: GateInput): Gate[] {
  const decisions = latestDecisions(input.approvals);
  return [
    previousStageGate(input),
    branchGate(input),
    soakGate(input),
    approvalsGate(input, decisions),
    rejectionGate(input, decisions),
    checklistGate(input),
    checksGate(input),
    freezeGate(input),
  ];
}

export function gatesPass(gates: readonly Gate[]): boolean {
  return gates.every((gate) => gate.passed);
}

export function failingGates(gates: readonly Gate[]): Gate[] {
  return gates.filter((gate) => !gate.passed);
}

/**
 * How a waiting release reads wherever it is shown: "Ready to promote" only when every gate
 * passes, otherwise what it still waits for ("Waiting for Approvals, Checklist").
 */
export function readinessLabel(gates: readonly Gate[]): string {
  const failing = failingGates(gates);
  return failing.length === 0
    ? "Ready to promote"
    : `Waiting for ${failing.map((gate) => GATE_LABELS[gate.key]).join(", ")}`;
}

/** A freeze is the one gate a user with environment.manage may override (with a reason). */
export function onlyFreezeFails(gates: readonly Gate[]): boolean {
  const failing = failingGates(gates);
  return failing.length > 0 && failing.every((gate) => gate.key === "freeze");
}

function previousStageGate({ previous }: GateInput): Gate {
  if (!previous) return { key: "previous_stage", passed: true, detail: FIRST_STAGE };
  return previous.succeededAt
    ? { key: "previous_stage", passed: true, detail: `Deployed successfully to ${previous.name}` }
    : { key: "previous_stage", passed: false, detail: `Not yet deployed successfully to ${previous.name}` };
}

function soakGate({ previous, environment, now }: GateInput): Gate {
  if (!previous) return { key: "soak", passed: true, detail: FIRST_STAGE };
  const soak = environment.soakMinutes;
  if (soak <= 0) return { key: "soak", passed: true, detail: "No soak time" };
  if (!previous.succeededAt)
    return { key: "soak", passed: false, detail: `Soaks ${minutes(soak)} in ${previous.name} once deployed there` };
  // a clock running behind the deploy's timestamp must not shorten the soak
  const elapsedMs = Math.max(0, now.getTime() - previous.succeededAt.getTime());
  const leftMs = soak * 60_000 - elapsedMs;
  if (leftMs <= 0) return { key: "soak", passed: true, detail: `Soaked ${minutes(soak)} in ${previous.name}` };
  const left = Math.ceil(leftMs / 60_000);
  const ofTotal = soak < 60 ? `${left} min left of ${soak}` : `${minutes(left)} left of ${minutes(soak)}`;
  return { key: "soak", passed: false, detail: `Soaking in ${previous.name}: ${ofTotal}` };
}

function approvalsGate({ release, environment }: GateInput, decisions: GateDecision[]): Gate {
  const required = environment.requiredApprovals;
  const approvals = decisions.filter((d) => d.decision === "approved");
  const unauthorized = approvals.filter((d) => !d.mayApprove);
  const isSelf = (d: GateDecision) => release.authorId !== null && d.userId === release.authorId;
  const selfIgnored = environment.preventSelfApproval && approvals.some((d) => d.mayApprove && isSelf(d));
  const counted = approvals.filter((d) => d.mayApprove && !(environment.preventSelfApproval && isSelf(d)));
  if (required <= 0) return { key: "approvals", passed: true, detail: "No approval required" };

  const names = counted.length > 0 ? ` (${counted.map((d) => d.userName).join(", ")})` : "";
  const tally =
    counted.length > required
      ? `${counted.length} approvals, ${required} required${names}`
      : `${counted.length} of ${required} ${required === 1 ? "approval" : "approvals"}${names}`;
  const notes: string[] = [];
  if (selfIgnored) notes.push("the author's own approval does not count here");
  if (unauthorized.length > 0)
    notes.push(
      `${unauthorized.length === 1 ? "approval" : "approvals"} by ${listed(unauthorized.map((d) => d.userName))} ` +
        `${unauthorized.length === 1 ? "does" : "do"} not count (may not approve in ${environment.name})`,
    );
  return { key: "approvals", passed: counted.length >= required, detail: [tally, ...notes].join("; ") };
}

function rejectionGate({ environment }: GateInput, decisions: GateDecision[]): Gate {
  const rejections = decisions.filter((d) => d.decision === "rejected");
  const blocking = rejections.filter((d) => d.mayApprove);
  const ignored = rejections.filter((d) => !d.mayApprove);
  if (blocking.length > 0)
    return {
      key: "rejection",
      passed: false,
      detail: `Rejected by ${listed(blocking.map((d) => d.userName))}; blocks until withdrawn`,
    };
  const note =
    ignored.length > 0
      ? ` (${ignored.length === 1 ? "rejection" : "rejections"} by ${listed(ignored.map((d) => d.userName))} ` +
        `${ignored.length === 1 ? "does" : "do"} not count: may not approve in ${environment.name})`
      : "";
  return { key: "rejection", passed: true, detail: `No rejection${note}` };
}

function checklistGate({ checklist }: GateInput): Gate {
  if (checklist.length === 0) return { key: "checklist", passed: true, detail: "No checklist" };
  const required = checklist.filter((item) => item.required);
  if (required.length === 0) return { key: "checklist", passed: true, detail: "No required items" };
  const open = required.filter((item) => !item.checked);
  if (open.length === 0)
    return {
      key: "checklist",
      passed: true,
      detail: `${required.length === 1 ? "The required item is" : `All ${required.length} required items`} ticked`,
    };
  const shown = open.slice(0, MAX_LISTED_ITEMS).map((item) => item.label);
  const more = open.length - shown.length;
  const labels = more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
  return {
    key: "checklist",
    passed: false,
    detail: `${open.length} required ${open.length === 1 ? "item" : "items"} not ticked: ${labels}`,
  };
}

function branchGate({ release, environment }: GateInput): Gate {
  const patterns = environment.allowedBranches ?? [];
  if (patterns.length === 0) return { key: "branch", passed: true, detail: "Any branch" };
  const takes = `${environment.name} takes ${describePatterns(patterns)}`;
  const branch = release.branch ?? null;
  if (!branch) return { key: "branch", passed: false, detail: `Built from no named branch; ${takes}` };
  return branchAllowed(patterns, branch)
    ? { key: "branch", passed: true, detail: `Built from ${branch}; ${takes}` }
    : { key: "branch", passed: false, detail: `Built from ${branch}; ${takes}` };
}

/** The required checks as reported: each by name, in the order the environment lists them. */
export function requiredChecks(input: Pick<GateInput, "environment" | "checks">): RequiredCheck[] {
  const reported = new Map((input.checks ?? []).map((c) => [c.name, c]));
  return (input.environment.requiredChecks ?? []).map((name) => {
    const check = reported.get(name);
    return check ? { name, status: check.status, url: check.url } : { name, status: "missing", url: null };
  });
}

function checksGate(input: GateInput): Gate {
  const checks = requiredChecks(input);
  if (checks.length === 0) return { key: "checks", passed: true, detail: "No checks required", checks };
  const open = checks.filter((c) => c.status !== "success");
  if (open.length === 0)
    return {
      key: "checks",
      passed: true,
      detail: checks.length === 1 ? `${checks[0]!.name} passed` : `All ${checks.length} required checks passed`,
      checks,
    };
  const word = { failure: "failing", pending: "pending", missing: "not reported", success: "passed" } as const;
  const shown = open.slice(0, MAX_LISTED_ITEMS).map((c) => `${c.name} (${word[c.status]})`);
  const more = open.length - shown.length;
  return {
    key: "checks",
    passed: false,
    detail: `Waiting for ${more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ")}`,
    checks,
  };
}

function freezeGate({ freezeWindows, now }: GateInput): Gate {
  const freeze = activeFreeze(freezeWindows, now);
  if (!freeze) return { key: "freeze", passed: true, detail: "No freeze window active" };
  return {
    key: "freeze",
    passed: false,
    detail: `Frozen until ${formatFreezeEnd(freeze.endsAt, freeze.window.timeZone, now)}: ${freeze.window.reason}`,
  };
}

/** One decision per user counts: the latest, should the data ever hold more than one. */
function latestDecisions(decisions: readonly GateDecision[]): GateDecision[] {
  const byUser = new Map<string, GateDecision>();
  for (const d of decisions) {
    const seen = byUser.get(d.userId);
    if (!seen || d.decidedAt > seen.decidedAt) byUser.set(d.userId, d);
  }
  return [...byUser.values()].sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime());
}

function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

function minutes(total: number): string {
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The gates that open by themselves, as time passes. */
export const TIME_GATES: readonly GateKey[] = ["soak", "freeze"];

/**
 * When the passing of time alone may let this promotion through: the moment its failing soak
 * time and freeze window have both ended, when those are the only gates that fail. null when
 * every gate passes, or when a gate fails that needs something other than time (an approval,
 * a tick, a check, the stage before): the event that opens that gate re-evaluates instead. A
 * freeze that starts later is found when this moment comes, and its end is the next moment.
 */
export function timeOpensGatesAt(input: GateInput, gates: readonly Gate[] = evaluateGates(input)): Date | null {
  const failing = failingGates(gates);
  if (failing.length === 0 || !failing.every((gate) => TIME_GATES.includes(gate.key))) return null;
  let at = input.now.getTime();
  for (const gate of failing) {
    if (gate.key === "soak") {
      if (!input.previous?.succeededAt) return null;
      at = Math.max(at, input.previous.succeededAt.getTime() + input.environment.soakMinutes * 60_000);
    } else {
      const freeze = activeFreeze(input.freezeWindows, input.now);
      if (!freeze) return null;
      at = Math.max(at, freeze.endsAt.getTime());
    }
  }
  return new Date(at);
}
