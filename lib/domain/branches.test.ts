import { describe, expect, it } from "vitest";
import {
  branchAllowed,
  branchMatches,
  branchNameProblem,
  branchPatternProblem,
  branchPatternsProblems,
  listFromText,
} from "./branches";

describe("branch patterns", () => {
  it("match literal names exactly", () => {
    expect(branchMatches("main", "main")).toBe(true);
    expect(branchMatches("main", "main2")).toBe(false);
    expect(branchMatches("main", "feature/main")).toBe(false);
    // a dot is a dot, not "any character"
    expect(branchMatches("release/1.4", "release/1x4")).toBe(false);
    expect(branchMatches("v1+build", "v1+build")).toBe(true);
  });

  it("* stays within a path segment, ** crosses them", () => {
    expect(branchMatches("release/*", "release/1.4")).toBe(true);
    expect(branchMatches("release/*", "release/")).toBe(true);
    expect(branchMatches("release/*", "release/1.4/hotfix")).toBe(false);
    expect(branchMatches("release/*", "release")).toBe(false);
    expect(branchMatches("release/**", "release/1.4/hotfix")).toBe(true);
    expect(branchMatches("**", "any/thing/at/all")).toBe(true);
    expect(branchMatches("feature-*", "feature-login")).toBe(true);
    expect(branchMatches("*/hotfix", "team/hotfix")).toBe(true);
    expect(branchMatches("*/hotfix", "a/b/hotfix")).toBe(false);
    expect(branchMatches("**/hotfix", "a/b/hotfix")).toBe(true);
  });

  it("a malformed pattern matches nothing", () => {
    expect(branchMatches("release/[0-9]", "release/1")).toBe(false);
    expect(branchMatches("", "")).toBe(false);
  });

  it("an empty rule lets every release through, with or without a branch; a rule needs a matching branch", () => {
    expect(branchAllowed([], null)).toBe(true);
    expect(branchAllowed([], "anything")).toBe(true);
    expect(branchAllowed(["main", "release/*"], "release/2.0")).toBe(true);
    expect(branchAllowed(["main", "release/*"], "feature/x")).toBe(false);
    expect(branchAllowed(["main"], null)).toBe(false);
    expect(branchAllowed(["main"], "")).toBe(false);
  });

  it("refuses what is not a pattern, saying why", () => {
    for (const good of ["main", "release/*", "team/**", "hotfix-*", "v1.2", "user@x/fix#12"])
      expect(branchPatternProblem(good), good).toBeNull();
    expect(branchPatternProblem("")).toMatch(/empty/);
    expect(branchPatternProblem("main branch")).toMatch(/space/);
    expect(branchPatternProblem("ma\u0000in")).toMatch(/control/);
    expect(branchPatternProblem("release/../main")).toMatch(/\.\./);
    expect(branchPatternProblem("release/[0-9]*")).toMatch(/not supported/);
    expect(branchPatternProblem("release/?")).toMatch(/not supported/);
    expect(branchPatternProblem("{main,develop}")).toMatch(/not supported/);
    expect(branchPatternProblem("a\\b")).toMatch(/not supported/);
    expect(branchPatternProblem("***")).toMatch(/stars/);
    expect(branchPatternProblem("/main")).toMatch(/start or end with \//);
    expect(branchPatternProblem("main~1")).toMatch(/use letters/);
    expect(branchPatternProblem("x".repeat(201))).toMatch(/at most/);
  });

  it("a list holds at most 20 patterns, each checked by its place", () => {
    expect(branchPatternsProblems(["main", "release/*"])).toEqual({});
    expect(branchPatternsProblems(Array.from({ length: 21 }, (_, i) => `b${i}`))).toHaveProperty([""]);
    expect(Object.keys(branchPatternsProblems(["main", "bad pattern", "[x]"]))).toEqual(["1", "2"]);
  });

  it("branch names are checked like git's ref names, without wildcards", () => {
    expect(branchNameProblem("feature/login")).toBeNull();
    expect(branchNameProblem("release/*")).not.toBeNull();
    expect(branchNameProblem("a..b")).not.toBeNull();
    expect(branchNameProblem("with space")).not.toBeNull();
    expect(branchNameProblem("topic.lock")).not.toBeNull();
  });

  it("reads a settings field: one per line or comma-separated, trimmed, blanks and repeats dropped", () => {
    expect(listFromText(" main \n\nrelease/*, hotfix/*\nmain\n")).toEqual(["main", "release/*", "hotfix/*"]);
    expect(listFromText("")).toEqual([]);
  });
});
