import { describe, expect, it } from "vitest";
import { can, environmentsWhere, type TokenActor, type UserActor } from "./access";
import {
  ACCESS_LEVELS,
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  levelOf,
  type EnvironmentPermission,
  type GlobalPermission,
  type Permission,
} from "./permissions";

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

/** A token and its owner's rights now (by default: everything everywhere, so only the token's scope limits it). */
function token(permissions: string[], environmentIds: string[] | null, owner: UserActor = everything): TokenActor {
  return {
    kind: "token",
    id: "t",
    name: "ci",
    permissions: new Set(permissions as never[]),
    environmentIds: environmentIds ? new Set(environmentIds) : null,
    owner: { id: owner.id, label: owner.name ?? owner.email, global: owner.global, byEnvironment: owner.byEnvironment },
  };
}

const ENVIRONMENTS = ["development", "staging", "production"];
const everything = user(Object.fromEntries(ENVIRONMENTS.map((e) => [e, ACCESS_LEVELS.full.permissions])), [
  ...GLOBAL_PERMISSIONS,
]);

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

  it("an environment permission asked without an environment is not held by a token either", () => {
    expect(can(token(["release.create"], null), "release.create")).toBe(false);
  });

  it("lists the environments where a permission holds", () => {
    expect(environmentsWhere(qa, "environment.view", ["development", "staging", "production"])).toEqual([
      "staging",
      "production",
    ]);
  });
});

describe("can, for a token: never more than its owner can do now", () => {
  const grantsEverything = [...new Set<Permission>([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS])];
  const businessOwner = user({ production: ACCESS_LEVELS.view.permissions });
  const developer = user({
    development: ["environment.view", "release.create", "deploy.trigger"],
    staging: ["environment.view"],
  });
  const reader = user(Object.fromEntries(ENVIRONMENTS.map((e) => [e, ACCESS_LEVELS.read.permissions])));
  const nobody = user({});

  /** Every (permission, environment) the actor may use, environment null included. */
  function reach(actor: UserActor | TokenActor): string[] {
    return grantsEverything.flatMap((p) =>
      [null, ...ENVIRONMENTS].filter((e) => can(actor, p, e)).map((e) => `${p}@${e}`),
    );
  }

  it("a token of an owner who holds everything does what its scope says", () => {
    const ci = token(["release.create", "audit.view", "token.manage"], null);
    expect(reach(ci)).toEqual([
      "audit.view@null",
      "audit.view@development",
      "audit.view@staging",
      "audit.view@production",
      "release.create@development",
      "release.create@staging",
      "release.create@production",
      "token.manage@null",
      "token.manage@development",
      "token.manage@staging",
      "token.manage@production",
    ]);
  });

  it("after demotion to business owner, the admin's token keeps only what both allow", () => {
    const ci = token(grantsEverything, null, businessOwner);
    expect(reach(ci)).toEqual(["environment.view@production"]);
    expect(can(ci, "release.create", "development")).toBe(false);
    expect(can(ci, "audit.view")).toBe(false);
    expect(can(ci, "audit.view", "production")).toBe(false);
    expect(can(ci, "user.manage")).toBe(false);
  });

  it("with every role removed, nothing is left", () => {
    expect(reach(token(grantsEverything, null, nobody))).toEqual([]);
  });

  it("is the intersection of token permissions, token environments and the owner's cells", () => {
    const scoped = token(
      ["release.create", "deploy.trigger", "environment.view"],
      ["staging", "production"],
      developer,
    );
    expect(reach(scoped)).toEqual(["environment.view@staging"]);
    const everywhere = token(["release.create", "deploy.trigger"], null, developer);
    expect(reach(everywhere)).toEqual(["release.create@development", "deploy.trigger@development"]);
  });

  it("audit.view held per environment by the owner is per environment for the token too", () => {
    const exporter = token(["audit.view"], null, reader);
    expect(can(exporter, "audit.view")).toBe(false);
    expect(environmentsWhere(exporter, "audit.view", ENVIRONMENTS)).toEqual(ENVIRONMENTS);
  });

  it("matches a user's own answers for a token holding every permission everywhere", () => {
    for (const owner of [everything, businessOwner, developer, reader, nobody])
      expect(reach(token(grantsEverything, null, owner))).toEqual(reach(owner));
  });

  it("re-promotion restores the token: it is judged by the rights it is given now", () => {
    const demoted = token(["release.create"], null, businessOwner);
    expect(can(demoted, "release.create", "development")).toBe(false);
    const promotedAgain = token(["release.create"], null, everything);
    expect(can(promotedAgain, "release.create", "development")).toBe(true);
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
