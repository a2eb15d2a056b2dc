import { describe, expect, it } from "vitest";
import {
  bucketOf,
  evaluate,
  inRollout,
  murmur3,
  parseRuleLines,
  parseRules,
  ruleLines,
  type FlagRuleSet,
} from "./flag-evaluation";

const flag = (over: Partial<FlagRuleSet> = {}): FlagRuleSet => ({
  enabled: true,
  rolloutPercent: null,
  rules: [],
  ...over,
});

describe("MurmurHash3 (x86, 32-bit, seed 0)", () => {
  it("gives the reference values", () => {
    // from the reference implementation's test vectors (SMHasher) and common ports
    expect(murmur3("")).toBe(0);
    expect(murmur3("a")).toBe(0x3c2569b2);
    expect(murmur3("abc")).toBe(0xb3dd93fa);
    expect(murmur3("Hello, world!")).toBe(0xc0363e43);
    expect(murmur3("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });
  it("hashes UTF-8 bytes", () => {
    expect(murmur3("é")).toBe(murmur3("\u00e9"));
    expect(murmur3("é")).not.toBe(murmur3("e"));
  });
});

describe("evaluate", () => {
  it("is off with DISABLED when the flag is off here, whatever the rules", () => {
    const f = flag({ enabled: false, rules: [{ attribute: "country", operator: "equals", values: ["FR"] }] });
    expect(evaluate("checkout", f, { country: "FR" })).toEqual({ value: false, reason: "DISABLED", variant: "off" });
  });

  it("is on for everyone with STATIC when on without a rollout", () => {
    expect(evaluate("checkout", flag(), {})).toEqual({ value: true, reason: "STATIC", variant: "on" });
    expect(evaluate("checkout", flag({ rolloutPercent: 100 }), {})).toMatchObject({ value: true, reason: "STATIC" });
  });

  it("turns on for a context a rule matches (equals, in), before the percentage", () => {
    const f = flag({
      rolloutPercent: 0,
      rules: [
        { attribute: "email", operator: "equals", values: ["qa@shop.example"] },
        { attribute: "country", operator: "in", values: ["FR", "DE"] },
      ],
    });
    expect(evaluate("checkout", f, { targetingKey: "u1", email: "qa@shop.example" })).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(evaluate("checkout", f, { targetingKey: "u1", country: "DE" })).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    // numbers and booleans compare as their text; objects never match
    expect(
      evaluate("x", flag({ rules: [{ attribute: "tier", operator: "in", values: ["2"] }], rolloutPercent: 0 }), {
        targetingKey: "u",
        tier: 2,
      }),
    ).toMatchObject({ reason: "TARGETING_MATCH" });
    expect(evaluate("checkout", f, { targetingKey: "u1", country: { FR: true } })).toMatchObject({
      value: false,
      reason: "SPLIT",
    });
    expect(evaluate("checkout", f, { targetingKey: "u1", country: "IT" })).toMatchObject({
      value: false,
      reason: "SPLIT",
    });
  });

  it("needs a targeting key to place a context in a percentage rollout", () => {
    for (const context of [{}, { targetingKey: "" }, { targetingKey: 42 }])
      expect(evaluate("checkout", flag({ rolloutPercent: 30 }), context)).toMatchObject({
        errorCode: "TARGETING_KEY_MISSING",
      });
  });

  it("gives the same user the same answer, every time", () => {
    const f = flag({ rolloutPercent: 50 });
    for (let i = 0; i < 200; i++) {
      const first = evaluate("checkout", f, { targetingKey: `user-${i}` });
      expect(evaluate("checkout", f, { targetingKey: `user-${i}` })).toEqual(first);
    }
  });

  it.each([1, 5, 10, 25, 50, 90, 99])("gives true to %i % of 100,000 keys, within ±1 %", (percent) => {
    let on = 0;
    for (let i = 0; i < 100_000; i++) if (inRollout("new-checkout", `user-${i}`, percent)) on++;
    expect(Math.abs(on / 1000 - percent)).toBeLessThanOrEqual(1);
  });

  it("keeps everyone who had the flag as the share grows, and splits each flag on its own", () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `customer-${i}`);
    const at5 = keys.filter((k) => inRollout("search-v2", k, 5));
    expect(at5.every((k) => inRollout("search-v2", k, 50))).toBe(true);
    const otherFlag = keys.filter((k) => inRollout("dark-mode", k, 5));
    const both = at5.filter((k) => otherFlag.includes(k)).length;
    // independent 5 % splits overlap on about 0.25 % of keys, not on all of them
    expect(both).toBeLessThan(at5.length / 4);
    expect(bucketOf("search-v2", "a")).toBeLessThan(10_000);
  });

  it("is never on at 0 % and always on at 100 %", () => {
    for (let i = 0; i < 1_000; i++) {
      expect(inRollout("f", `k${i}`, 0)).toBe(false);
      expect(inRollout("f", `k${i}`, 100)).toBe(true);
    }
  });
});

describe("parseRules", () => {
  it("keeps well-formed rules and drops anything else", () => {
    expect(
      parseRules([
        { attribute: "country", operator: "in", values: ["FR"] },
        { attribute: "", operator: "in", values: ["FR"] },
        { attribute: "a", operator: "regex", values: [".*"] },
        { attribute: "a", operator: "equals", values: [1] },
        null,
        "rule",
      ]),
    ).toEqual([{ attribute: "country", operator: "in", values: ["FR"] }]);
    expect(parseRules({})).toEqual([]);
    expect(parseRules(null)).toEqual([]);
  });
});

describe("rules as people write them", () => {
  it("reads one rule a line, and writes them back the same way", () => {
    const text = "country in FR, DE\nemail = qa@shop.example\n\n  plan IN pro ,team  ";
    const { rules, errors } = parseRuleLines(text);
    expect(errors).toEqual([]);
    expect(rules).toEqual([
      { attribute: "country", operator: "in", values: ["FR", "DE"] },
      { attribute: "email", operator: "equals", values: ["qa@shop.example"] },
      { attribute: "plan", operator: "in", values: ["pro", "team"] },
    ]);
    expect(ruleLines(rules)).toBe("country in FR, DE\nemail = qa@shop.example\nplan in pro, team");
    expect(parseRuleLines(ruleLines(rules)).rules).toEqual(rules);
    // "in" inside a value is a value
    expect(parseRuleLines("note = in stock").rules).toEqual([
      { attribute: "note", operator: "equals", values: ["in stock"] },
    ]);
  });

  it("says which line is wrong and why", () => {
    expect(parseRuleLines("country FR").errors).toEqual([
      'Line 1: write "attribute = value" or "attribute in value, value"',
    ]);
    expect(parseRuleLines("ok = 1\ncountry in FR, , DE").errors).toEqual([
      "Line 2: each value needs 1 to 200 characters",
    ]);
    expect(parseRuleLines("9lives = yes").errors[0]).toContain("is not an attribute name");
    expect(parseRuleLines(`a = ${"x".repeat(201)}`).errors[0]).toContain("1 to 200 characters");
    expect(parseRuleLines(Array.from({ length: 21 }, (_, i) => `a${i} = 1`).join("\n")).errors).toEqual([
      "At most 20 rules",
    ]);
  });
});
