import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/releases?page=2", "/releases?page=2"],
    ["/environments/production#flags", "/environments/production#flags"],
    ["/", "/"],
  ])("keeps the local path %s", (input, expected) => expect(safeReturnPath(input)).toBe(expected));

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "javascript:alert(1)",
    "releases",
    "/sign-in?callbackUrl=/x",
    "",
    undefined,
    42,
    "/" + "a".repeat(3000),
  ])("turns %s into /", (input) => expect(safeReturnPath(input)).toBe("/"));
});
