import { describe, expect, it } from "vitest";
import { parseGroupRoles } from "./auth-env";

describe("parseGroupRoles", () => {
  it("maps groups to one or more roles", () => {
    const map = parseGroupRoles("platform-admins=admin, qa-team=qa,platform-admins=devops");
    expect(map.get("platform-admins")).toEqual(["admin", "devops"]);
    expect(map.get("qa-team")).toEqual(["qa"]);
  });
  it("is empty when unset", () => expect(parseGroupRoles("").size).toBe(0));
  it("names the variable when a pair is malformed", () => {
    expect(() => parseGroupRoles("admins")).toThrow(/AUTH_SSO_GROUP_ROLES/);
  });
});
