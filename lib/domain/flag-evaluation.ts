// How a boolean flag answers for one evaluation context, in one environment. Pure: the flag
// evaluation service (lib/serve) calls it on an in-memory snapshot for every request.
//
// Order, as in the OpenFeature reference providers:
//   flag off here                        → false, DISABLED
//   a targeting rule matches the context → true,  TARGETING_MATCH
//   a percentage rollout                 → the context's bucket decides, SPLIT (needs a targetingKey)
//   otherwise                            → true,  STATIC
// Reasons and error codes are OpenFeature's (https://openfeature.dev/specification/types).

export const RULE_OPERATORS = ["equals", "in"] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export interface TargetingRule {
  /** a key of the evaluation context, e.g. "country" or "email" */
  attribute: string;
  operator: RuleOperator;
  /** one value for "equals", any number for "in"; compared as text */
  values: string[];
}

export interface FlagRuleSet {
  enabled: boolean;
  /** 0–100: the share of targeting keys that get true; null: everyone */
  rolloutPercent: number | null;
  rules: TargetingRule[];
}

export type EvaluationContext = Record<string, unknown>;

export type Reason = "STATIC" | "TARGETING_MATCH" | "SPLIT" | "DISABLED";
export type EvaluationErrorCode = "FLAG_NOT_FOUND" | "PARSE_ERROR" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT";

export type Evaluation =
  { value: boolean; reason: Reason; variant: "on" | "off" } | { errorCode: EvaluationErrorCode; errorDetails: string };

export const FLAG_KEY_PATTERN = /^[a-z][a-zA-Z0-9_.-]{1,63}$/;

export function evaluate(flagKey: string, flag: FlagRuleSet, context: EvaluationContext): Evaluation {
  if (!flag.enabled) return off("DISABLED");
  for (const rule of flag.rules) if (matches(rule, context[rule.attribute])) return on("TARGETING_MATCH");
  if (flag.rolloutPercent === null || flag.rolloutPercent >= 100) return on("STATIC");
  const key = context.targetingKey;
  if (typeof key !== "string" || key === "")
    return {
      errorCode: "TARGETING_KEY_MISSING",
      errorDetails: `"${flagKey}" is on for ${flag.rolloutPercent} % of users: the context needs a targetingKey to place this one`,
    };
  return inRollout(flagKey, key, flag.rolloutPercent) ? on("SPLIT") : off("SPLIT");
}

const on = (reason: Reason): Evaluation => ({ value: true, reason, variant: "on" });
const off = (reason: Reason): Evaluation => ({ value: false, reason, variant: "off" });

function matches(rule: TargetingRule, value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return false;
  const text = String(value);
  return rule.operator === "equals" ? rule.values[0] === text : rule.values.includes(text);
}

/**
 * Whether a targeting key falls in the first `percent` % of a flag's buckets: 10,000 buckets from
 * a 32-bit MurmurHash3 of "flagKey/targetingKey", so a user keeps their answer as the share grows
 * (5 % → 50 %: everyone who had it keeps it) and each flag splits users independently.
 */
export function inRollout(flagKey: string, targetingKey: string, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return bucketOf(flagKey, targetingKey) < percent * 100;
}

export function bucketOf(flagKey: string, targetingKey: string): number {
  return murmur3(`${flagKey}/${targetingKey}`) % 10_000;
}

const at = (bytes: Uint8Array, i: number): number => bytes[i] ?? 0;

/** MurmurHash3, x86 32-bit, seed 0, over the string's UTF-8 bytes. */
export function murmur3(text: string): number {
  const bytes = new TextEncoder().encode(text);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = at(bytes, i) | (at(bytes, i + 1) << 8) | (at(bytes, i + 2) << 16) | (at(bytes, i + 3) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (bytes.length & 3) {
    case 3:
      k ^= at(bytes, blocks + 2) << 16;
    // falls through
    case 2:
      k ^= at(bytes, blocks + 1) << 8;
    // falls through
    case 1:
      k ^= at(bytes, blocks);
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Validates stored rules (JSON from the database); anything malformed is dropped, never thrown. */
export function parseRules(raw: unknown): TargetingRule[] {
  if (!Array.isArray(raw)) return [];
  const rules: TargetingRule[] = [];
  for (const r of raw as unknown[]) {
    if (typeof r !== "object" || r === null) continue;
    const { attribute, operator, values } = r as Record<string, unknown>;
    if (typeof attribute !== "string" || attribute === "") continue;
    if (!RULE_OPERATORS.includes(operator as RuleOperator)) continue;
    if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) continue;
    rules.push({ attribute, operator: operator as RuleOperator, values: values });
  }
  return rules;
}

// ─── rules as people write them ────────────────────────────────────────────────────────────────
// One rule a line: `country in FR, DE` or `email = qa@shop.example`. The same words come back
// from ruleLines, so a form shows what is stored and saves what it shows.

export const RULE_ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_RULES = 20;
export const MAX_RULE_VALUES = 100;
export const MAX_RULE_VALUE_LENGTH = 200;

/** Checks one rule; returns what is wrong with it, or null. */
export function ruleProblem(rule: TargetingRule): string | null {
  if (!RULE_ATTRIBUTE.test(rule.attribute))
    return `"${rule.attribute.slice(0, 70)}" is not an attribute name: letters, digits, _ . - (at most 64)`;
  if (rule.values.length === 0) return `give "${rule.attribute}" at least one value`;
  if (rule.operator === "equals" && rule.values.length !== 1) return `"=" compares with one value; use "in" for a list`;
  if (rule.values.length > MAX_RULE_VALUES) return `at most ${MAX_RULE_VALUES} values in one rule`;
  if (rule.values.some((v) => v === "" || v.length > MAX_RULE_VALUE_LENGTH))
    return `each value needs 1 to ${MAX_RULE_VALUE_LENGTH} characters`;
  return null;
}

export function parseRuleLines(text: string): { rules: TargetingRule[]; errors: string[] } {
  const rules: TargetingRule[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const inList = /^([^\s=]+)\s+in\s+(.+)$/i.exec(line);
    const equals = inList ? null : /^([^\s=]+)\s*=\s*(.+)$/.exec(line);
    let rule: TargetingRule;
    if (inList)
      rule = { attribute: inList[1] ?? "", operator: "in", values: (inList[2] ?? "").split(",").map((v) => v.trim()) };
    else if (equals) rule = { attribute: equals[1] ?? "", operator: "equals", values: [(equals[2] ?? "").trim()] };
    else {
      errors.push(`Line ${i + 1}: write "attribute = value" or "attribute in value, value"`);
      return;
    }
    const problem = ruleProblem(rule);
    if (problem) errors.push(`Line ${i + 1}: ${problem}`);
    else rules.push(rule);
  });
  if (rules.length > MAX_RULES) errors.push(`At most ${MAX_RULES} rules`);
  return { rules, errors };
}

export function ruleLines(rules: TargetingRule[]): string {
  return rules
    .map((r) =>
      r.operator === "equals" ? `${r.attribute} = ${r.values[0] ?? ""}` : `${r.attribute} in ${r.values.join(", ")}`,
    )
    .join("\n");
}
