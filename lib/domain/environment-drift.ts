// Environment drift: how two environments differ in what they run and how they are set up,
// in words people and CI steps read the same way. Pure: lib/data/environments/compare.ts reads
// the rows and builds the comparison with these pieces.

import type { ChecklistPhase } from "./deployment-checklist";
import type { HealthCheck } from "./health-checks";
import type { RolloutStep, RolloutStrategy } from "./rollout";
import { STRATEGY_LABELS } from "./rollout";

/** Where two environments stand for one application, seen from the first (a). */
export type VersionRelation =
  /** both run the same release */
  | "same"
  /** a runs a newer release than b (aheadBy > 0) */
  | "ahead"
  /** a runs an older release than b (aheadBy < 0) */
  | "behind"
  /** one of them runs nothing yet */
  | "not_deployed"
  /** neither runs anything: nothing to compare */
  | "neither"
  /** what runs in one of them is unknown (an interrupted deploy) */
  | "unknown";

export function relationOf(
  a: "running" | "none" | "unknown",
  b: "running" | "none" | "unknown",
  aheadBy: number | null,
): VersionRelation {
  if (a === "unknown" || b === "unknown") return "unknown";
  if (a === "none" && b === "none") return "neither";
  if (a === "none" || b === "none") return "not_deployed";
  if (aheadBy === null || aheadBy === 0) return "same";
  return aheadBy > 0 ? "ahead" : "behind";
}

const releases = (n: number) => `${n} release${n === 1 ? "" : "s"}`;

/** "Staging is 3 releases ahead of Production", "Production runs nothing yet". */
export function relationSentence(
  relation: VersionRelation,
  aheadBy: number | null,
  a: { name: string; runs: "running" | "none" | "unknown" },
  b: { name: string; runs: "running" | "none" | "unknown" },
): string {
  switch (relation) {
    case "same":
      return "Same release";
    case "ahead":
      return `${a.name} is ${releases(aheadBy ?? 0)} ahead of ${b.name}`;
    case "behind":
      return `${a.name} is ${releases(-(aheadBy ?? 0))} behind ${b.name}`;
    case "not_deployed":
      return `${a.runs === "none" ? a.name : b.name} runs nothing yet`;
    case "neither":
      return "Not deployed to either";
    case "unknown":
      return `What runs in ${a.runs === "unknown" ? a.name : b.name} is unknown: its last deploy was interrupted`;
  }
}

// ─── settings ─────────────────────────────────────────────────────────────────────────────────

/** An environment's settings as compared (the Environment row plus its freeze windows). */
export interface ComparedSettings {
  protected: boolean;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  soakMinutes: number;
  autoPromote: boolean;
  flagChangeApprovals: number;
  requireSecondFactor: boolean;
  secondFactorMaxAgeMinutes: number;
  rolloutStrategy: RolloutStrategy;
  rolloutSteps: RolloutStep[];
  deployQueuePolicy: "queue" | "replace" | "refuse";
  healthChecks: HealthCheck[];
  healthCheckPath: string | null;
  healthCheckIntervalSeconds: number;
  healthCheckFailureThreshold: number;
  errorRateThresholdPercent: number | null;
  /**
   * the checklist template's name and when it must be complete; `required` and `items` count
   * the gate's items (before promotion), `later` those ticked during or after a deployment;
   * null: none
   */
  checklist: {
    name: string;
    timing: "before_entry" | "before_exit";
    required: number;
    items: number;
    later: number;
  } | null;
  /** each window in words (see freezeWindowText) */
  freezeWindows: string[];
}

export type SettingGroup = "gates" | "rollout" | "health" | "flags" | "security";

export interface SettingDifference {
  key: string;
  group: SettingGroup;
  label: string;
  a: unknown;
  b: unknown;
  /** as people read it */
  text: { a: string; b: string };
  differs: boolean;
}

/** "45 min", "1 h 30 min", "2 d". */
export function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  if (h < 24) return minutes % 60 ? `${h} h ${minutes % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function secondsText(seconds: number): string {
  return seconds % 60 === 0 && seconds > 0 ? minutesText(seconds / 60) : `${seconds} s`;
}

const yesNo = (v: boolean) => (v ? "Yes" : "No");

export function stepsText(strategy: RolloutStrategy, steps: readonly RolloutStep[]): string {
  if (strategy === "direct" || steps.length === 0) return "One step to 100 %";
  return steps
    .map((s) => (s.pauseSeconds > 0 ? `${s.percent} % (${secondsText(s.pauseSeconds)})` : `${s.percent} %`))
    .join(" → ");
}

export function healthCheckText(c: HealthCheck): string {
  return c.kind === "http"
    ? `${c.name}: HTTP ${c.url} answers ${c.expectedStatus}, every ${c.intervalSeconds} s, ${c.failuresAllowed} failures allowed in a row`
    : `${c.name}: ${c.query} ${c.comparator} ${c.threshold} → ${c.onBreach}, every ${c.intervalSeconds} s`;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const clock = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** "Every Friday 16:00 for 2 d 16 h (Europe/Paris): Weekend", "2026-12-24T18:00Z → … (UTC): Holidays". */
export function freezeWindowText(w: {
  kind: "one_off" | "weekly";
  reason: string;
  timeZone: string;
  startsAt: Date | null;
  endsAt: Date | null;
  weekday: number | null;
  startMinute: number | null;
  durationMinutes: number | null;
}): string {
  const when =
    w.kind === "weekly"
      ? `Every ${WEEKDAYS[w.weekday ?? 0] ?? "day"} ${clock(w.startMinute ?? 0)} for ${minutesText(w.durationMinutes ?? 0)}`
      : `${w.startsAt?.toISOString().slice(0, 16) ?? "?"}Z → ${w.endsAt?.toISOString().slice(0, 16) ?? "?"}Z`;
  return `${when} (${w.timeZone})${w.reason ? `: ${w.reason}` : ""}`;
}

const listText = (items: readonly string[], none: string) => (items.length ? items.join("; ") : none);

/**
 * Every compared setting, in the order the page shows them, each marked when the two differ.
 * Lists (steps, checks, windows) compare in order, except freeze windows, which are a set.
 */
export function compareSettings(a: ComparedSettings, b: ComparedSettings): SettingDifference[] {
  const rows: SettingDifference[] = [];
  const add = <T>(
    key: string,
    group: SettingGroup,
    label: string,
    pick: (s: ComparedSettings) => T,
    text: (v: T) => string,
    same: (x: T, y: T) => boolean = (x, y) => JSON.stringify(x) === JSON.stringify(y),
  ) => {
    const va = pick(a);
    const vb = pick(b);
    rows.push({ key, group, label, a: va, b: vb, text: { a: text(va), b: text(vb) }, differs: !same(va, vb) });
  };
  const sortedSame = (x: string[], y: string[]) => JSON.stringify([...x].sort()) === JSON.stringify([...y].sort());

  add("protected", "gates", "Protected", (s) => s.protected, yesNo);
  add("requiredApprovals", "gates", "Required approvals", (s) => s.requiredApprovals, String);
  add("preventSelfApproval", "gates", "Author's own approval does not count", (s) => s.preventSelfApproval, yesNo);
  add(
    "soakMinutes",
    "gates",
    "Soak time in the stage before",
    (s) => s.soakMinutes,
    (m) => (m ? minutesText(m) : "None"),
  );
  add("autoPromote", "gates", "Promotes automatically", (s) => s.autoPromote, yesNo);
  add(
    "checklist",
    "gates",
    "Checklist required",
    (s) => s.checklist,
    (c) =>
      c
        ? `${c.name} (${c.timing === "before_exit" ? "before moving on" : "before deploying here"}): ${c.required} of ${c.items} items required${c.later ? `; ${c.later} ticked during or after the deployment` : ""}`
        : "None",
  );
  add(
    "freezeWindows",
    "gates",
    "Freeze windows",
    (s) => s.freezeWindows,
    (w) => listText(w, "None"),
    sortedSame,
  );
  add(
    "rolloutStrategy",
    "rollout",
    "Rollout strategy",
    (s) => s.rolloutStrategy,
    (v) => STRATEGY_LABELS[v],
  );
  add(
    "rolloutSteps",
    "rollout",
    "Traffic steps",
    (s) => (s.rolloutStrategy === "direct" ? [] : s.rolloutSteps),
    (steps) => stepsText(steps.length ? "canary" : "direct", steps),
  );
  add(
    "deployQueuePolicy",
    "rollout",
    "While a deployment is under way",
    (s) => s.deployQueuePolicy,
    (p) => (p === "queue" ? "Queue" : p === "replace" ? "Newest wins" : "Refuse"),
  );
  add(
    "healthChecks",
    "health",
    "Health checks",
    (s) => s.healthChecks,
    (c) => listText(c.map(healthCheckText), "None"),
  );
  add(
    "healthCheckPath",
    "health",
    "Health check path",
    (s) => s.healthCheckPath,
    (p) => p ?? "None",
  );
  add(
    "healthCheckIntervalSeconds",
    "health",
    "Health check interval",
    (s) => s.healthCheckIntervalSeconds,
    secondsText,
  );
  add(
    "healthCheckFailureThreshold",
    "health",
    "Failed checks before a rollback",
    (s) => s.healthCheckFailureThreshold,
    String,
  );
  add(
    "errorRateThresholdPercent",
    "health",
    "Error rate that rolls back",
    (s) => s.errorRateThresholdPercent,
    (p) => (p === null ? "Not watched" : `above ${p} %`),
  );
  add(
    "flagChangeApprovals",
    "flags",
    "Approvals a flag change needs",
    (s) => s.flagChangeApprovals,
    (n) => (n ? String(n) : "None: changes apply directly"),
  );
  add("requireSecondFactor", "security", "Second factor required", (s) => s.requireSecondFactor, yesNo);
  add(
    "secondFactorMaxAgeMinutes",
    "security",
    "Second factor valid for",
    (s) => (s.requireSecondFactor ? s.secondFactorMaxAgeMinutes : null),
    (m) => (m === null ? "—" : minutesText(m)),
  );
  return rows;
}

// ─── checklist items ─────────────────────────────────────────────────────────────────────────

export interface ChecklistItemShape {
  section: string | null;
  label: string;
  hint: string | null;
  required: boolean;
  /** when it is ticked: before promotion (a gate), or during or after the deployment */
  phase: ChecklistPhase;
}

export type ItemChange = "same" | "only_a" | "only_b" | "changed";

export interface ChecklistItemDifference {
  section: string | null;
  label: string;
  a: { required: boolean; hint: string | null; phase: ChecklistPhase } | null;
  b: { required: boolean; hint: string | null; phase: ChecklistPhase } | null;
  change: ItemChange;
  differs: boolean;
}

/**
 * The two templates' items matched by section and label (case and spacing aside): an item
 * only one side has was added or removed; one whose required mark or hint differs changed.
 * In the order of a's template, then b's items a lacks.
 */
export function compareChecklistItems(
  a: readonly ChecklistItemShape[],
  b: readonly ChecklistItemShape[],
): ChecklistItemDifference[] {
  const keyOf = (i: ChecklistItemShape) =>
    `${(i.section ?? "").trim().toLowerCase()}\u0000${i.label.trim().replace(/\s+/g, " ").toLowerCase()}`;
  const inB = new Map<string, ChecklistItemShape>();
  for (const item of b) if (!inB.has(keyOf(item))) inB.set(keyOf(item), item);
  const seen = new Set<string>();
  const rows: ChecklistItemDifference[] = [];
  const facts = (i: ChecklistItemShape) => ({ required: i.required, hint: i.hint, phase: i.phase });
  for (const item of a) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    const other = inB.get(key);
    const change: ItemChange = !other
      ? "only_a"
      : other.required !== item.required || (other.hint ?? "") !== (item.hint ?? "") || other.phase !== item.phase
        ? "changed"
        : "same";
    rows.push({
      section: item.section,
      label: item.label,
      a: facts(item),
      b: other ? facts(other) : null,
      change,
      differs: change !== "same",
    });
  }
  for (const item of b) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ section: item.section, label: item.label, a: null, b: facts(item), change: "only_b", differs: true });
  }
  return rows;
}
