import { describe, expect, it } from "vitest";
import type { Rights } from "./access";
import { ACCESS_LEVELS, GLOBAL_PERMISSIONS, type EnvironmentPermission, type GlobalPermission } from "./permissions";
import { tokenPower, type OwnerNow } from "./token-power";

const ENVIRONMENTS = [
  { id: "dev", name: "Development" },
  { id: "stg", name: "Staging" },
  { id: "prd", name: "Production" },
];

function rights(cells: Record<string, readonly EnvironmentPermission[]>, global: GlobalPermission[] = []): Rights {
  return {
    global: new Set(global),
    byEnvironment: new Map(Object.entries(cells).map(([env, perms]) => [env, new Set(perms)])),
  };
}

const ADMIN = rights(Object.fromEntries(ENVIRONMENTS.map((e) => [e.id, ACCESS_LEVELS.full.permissions])), [
  ...GLOBAL_PERMISSIONS,
]);
const BUSINESS_OWNER = rights({ prd: ACCESS_LEVELS.view.permissions });
const DEVELOPER = rights({ dev: ["environment.view", "release.create"], stg: ["environment.view"] });

function owner(now: Rights, removedRoles: OwnerNow["removedRoles"] = [], active = true): OwnerNow {
  return { label: "Ana Ruiz", active, rights: now, removedRoles };
}

const ci = { permissions: ["release.create", "audit.view"] as const, environmentIds: null };

describe("tokenPower", () => {
  it("is full while the owner backs every grant", () => {
    expect(tokenPower(ci, owner(ADMIN), ENVIRONMENTS)).toEqual({ state: "full", reasons: [], lost: [] });
  });

  it("a deactivated or deleted owner takes all of it, whatever the grants", () => {
    expect(tokenPower(ci, owner(ADMIN, [], false), ENVIRONMENTS)).toEqual({
      state: "none",
      reasons: ["Owner Ana Ruiz is deactivated"],
      lost: [],
    });
    expect(tokenPower(ci, null, ENVIRONMENTS)).toEqual({ state: "none", reasons: ["Owner deleted"], lost: [] });
  });

  it("after demotion to business owner: none left, each grant named with the role whose removal took it", () => {
    const power = tokenPower(ci, owner(BUSINESS_OWNER, [{ name: "Admin", rights: ADMIN }]), ENVIRONMENTS);
    expect(power.state).toBe("none");
    expect(power.reasons).toEqual([
      "Owner no longer holds release.create in Development, Staging and Production (role Admin removed)",
      "Owner no longer holds audit.view globally (role Admin removed)",
      "Owner no longer holds audit.view in Development, Staging and Production (role Admin removed)",
    ]);
    expect(power.lost[0]).toEqual({
      permission: "release.create",
      environments: ["Development", "Staging", "Production"],
      global: false,
      removedRoles: ["Admin"],
    });
  });

  it("a partial loss lists only what is gone; the rest still works", () => {
    const power = tokenPower(
      { permissions: ["release.create", "environment.view"], environmentIds: null },
      owner(DEVELOPER, [{ name: "Admin", rights: ADMIN }]),
      ENVIRONMENTS,
    );
    expect(power.state).toBe("partial");
    expect(power.reasons).toEqual([
      "Owner no longer holds release.create in Staging and Production (role Admin removed)",
      "Owner no longer holds environment.view in Production (role Admin removed)",
    ]);
  });

  it("looks only at the token's environments, and at global permissions without one", () => {
    const scoped = { permissions: ["release.create", "user.manage"] as const, environmentIds: ["dev"] };
    expect(tokenPower(scoped, owner(rights({ dev: ["release.create"] }, ["user.manage"])), ENVIRONMENTS).state).toBe(
      "full",
    );
    const lostManage = tokenPower(scoped, owner(rights({ dev: ["release.create"] })), ENVIRONMENTS);
    expect(lostManage).toMatchObject({ state: "partial", reasons: ["Owner does not hold user.manage now"] });
  });

  it("without a known removed role (the matrix changed), says what is missing now, and no cause", () => {
    const power = tokenPower(
      { permissions: ["deploy.trigger"], environmentIds: ["prd"] },
      owner(DEVELOPER, [{ name: "Developer", rights: DEVELOPER }]),
      ENVIRONMENTS,
    );
    expect(power).toEqual({
      state: "none",
      reasons: ["Owner does not hold deploy.trigger in Production now"],
      lost: [{ permission: "deploy.trigger", environments: ["Production"], global: false, removedRoles: [] }],
    });
  });

  it("groups environments by the roles that took them", () => {
    const OPERATIONS = rights({ prd: ["release.create"] });
    const power = tokenPower(
      { permissions: ["release.create"], environmentIds: null },
      owner(rights({}), [
        { name: "Developer", rights: DEVELOPER },
        { name: "Operations", rights: OPERATIONS },
      ]),
      ENVIRONMENTS,
    );
    expect(power.reasons).toEqual([
      "Owner no longer holds release.create in Development (role Developer removed)",
      "Owner does not hold release.create in Staging now",
      "Owner no longer holds release.create in Production (role Operations removed)",
    ]);
  });

  it("names every removed role that granted it", () => {
    const power = tokenPower(
      { permissions: ["release.create"], environmentIds: ["dev"] },
      owner(rights({}), [
        { name: "Admin", rights: ADMIN },
        { name: "Developer", rights: DEVELOPER },
      ]),
      ENVIRONMENTS,
    );
    expect(power.reasons).toEqual([
      "Owner no longer holds release.create in Development (roles Admin and Developer removed)",
    ]);
  });

  it("a token limited to some environments never held audit.view globally", () => {
    const reader = rights({ stg: ACCESS_LEVELS.read.permissions });
    expect(
      tokenPower({ permissions: ["audit.view"], environmentIds: ["stg"] }, owner(reader), ENVIRONMENTS).state,
    ).toBe("full");
  });
});
