import { describe, expect, it } from "vitest";
import { can, environmentsWhere, type TokenActor, type UserActor } from "./access";
import { ACCESS_LEVELS, levelOf, type EnvironmentPermission, type GlobalPermission } from "./permissions";

function user(cells: Record<string, readonly EnvironmentPermission[]>, global: GlobalPermission[] = []): UserActor {
  return {
    kind: "user",
    id: "u",
    email: "u@example.test",
    name: "U",
    roles: [],
    global: new Set(global),
    byEnvironment: new Map(Object.entries(cells).map(([env, perms]) => [env, new Set(perms)])),
  };
}

function token(permissions: string[], environmentIds: string[] | null): TokenActor {
  return {
    kind: "token",
    id: "t",
    name: "ci",
    permissions: new Set(permissions as never[]),
    environmentIds: environmentIds ? new Set(environmentIds) : null,
  };
}

describe("can", () => {
  const qa = user({ staging: ACCESS_LEVELS.full.permissions, production: ACCESS_LEVELS.view.permissions });

  it.each([
    ["flag.toggle", "staging", true],
    ["flag.toggle", "production", false],
    ["environment.view", "production", true],
    ["environment.view", "development", false],
    ["deploy.trigger", null, false],
    ["user.manage", null, false],
  ] as const)("QA with full staging / view production: %s in %s → %s", (permission, env, expected) => {
    expect(can(qa, permission, env)).toBe(expected);
  });

  it("global permissions hold without an environment and in every one", () => {
    const admin = user({}, ["user.manage", "audit.view"]);
    expect(can(admin, "user.manage")).toBe(true);
    expect(can(admin, "audit.view", "production")).toBe(true);
    expect(can(admin, "flag.toggle", "production")).toBe(false);
  });

  it("audit.view may also come from one environment's cell", () => {
    const reader = user({ staging: ACCESS_LEVELS.read.permissions });
    expect(can(reader, "audit.view", "staging")).toBe(true);
    expect(can(reader, "audit.view", "production")).toBe(false);
    expect(can(reader, "audit.view")).toBe(false);
  });

  it("tokens hold their permissions in their environments only", () => {
    const scoped = token(["release.create"], ["staging"]);
    expect(can(scoped, "release.create", "staging")).toBe(true);
    expect(can(scoped, "release.create", "production")).toBe(false);
    expect(can(scoped, "deploy.trigger", "staging")).toBe(false);
    const everywhere = token(["release.create", "audit.view"], null);
    expect(can(everywhere, "release.create", "production")).toBe(true);
    expect(can(everywhere, "audit.view")).toBe(true);
  });

  it("lists the environments where a permission holds", () => {
    expect(environmentsWhere(qa, "environment.view", ["development", "staging", "production"])).toEqual([
      "staging",
      "production",
    ]);
  });
});

describe("levelOf", () => {
  it.each(Object.entries(ACCESS_LEVELS))("names the %s level", (level, def) => {
    expect(levelOf([...def.permissions].reverse())).toBe(level);
  });
  it("calls anything else custom", () => {
    expect(levelOf(["environment.view", "release.approve"])).toBe("custom");
  });
});
