/// <reference types="vite/client" />
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { can, type Actor } from "../domain/access";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  SECOND_FACTOR_PERMISSIONS,
  type Permission,
} from "../domain/permissions";
import { loadPreset } from "../presets/load";
import { resetDatabase } from "../test/reset";
import { signedIn, userWithRoles } from "../test/actors";
import { tokenActor } from "./actors/token";
import { createToken } from "./tokens/tokens";
import { ConflictError, ForbiddenError, NotFoundError } from "./errors";
import { operations, type Operation } from "./operation";
import { samples, type SampleContext } from "./authorization.samples";

// The exhaustive authorization check: every guarded entry point of lib/data, read or write,
// called as a user holding exactly one role, in every environment, must behave as the access
// matrix says there:
//  - "environment" operations succeed exactly where the matrix grants their permission, and are
//    refused otherwise (ForbiddenError with an authz.denied row, or NotFoundError for reads that
//    do not reveal environments the caller may not view);
//  - "global" operations succeed exactly for holders of their global permission;
//  - "visible" reads succeed for everyone, and nothing of an environment the caller may not view
//    comes back (no id of it anywhere in the answer).
// Besides one user per role, API tokens whose owners have lost power since they made them: a
// token never does more than its owner can do now, so each must behave as `can` says for the
// intersection of its scope and its owner's current rights.
// The list of operations is not written here: importing lib/data registers them, found
// RECURSIVELY below (a test proves no operation file is missed), and an operation without a
// sample input in authorization.samples.ts fails the suite, so the check grows with the code.

const loaded = import.meta.glob(
  ["./**/*.ts", "!./**/*.test.ts", "!./**/*.fixture.ts", "!./authorization.samples*.ts"],
  { eager: true },
);

interface Subject {
  label: string;
  actor: Actor;
}

type Outcome = "allowed" | "forbidden" | "not_found" | `leak: ${string}` | `error: ${string}`;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("authorization", () => {
  const subjects: Subject[] = [];
  let environments: { id: string; key: string; name: string }[] = [];

  beforeAll(async () => {
    await resetDatabase();
    // seed 000: the access matrix of the five roles it names, plus admin and product owner
    await loadPreset(db(), "000-monepiceriz", { password: "authorization-test" });
    environments = await db().environment.findMany({
      select: { id: true, key: true, name: true },
      orderBy: { position: "asc" },
    });
    const roles = await db().role.findMany({ select: { key: true, name: true }, orderBy: { key: "asc" } });
    // each acts through a fresh session that passed a second factor: the matrix alone decides
    // here (second-factor and recent-sign-in refusals have tests of their own)
    const fresh = (roleKeys: string[]) =>
      userWithRoles(roleKeys).then((actor) => signedIn(actor, { secondFactorMinutesAgo: 0 }));
    for (const role of roles) subjects.push({ label: role.key, actor: await fresh([role.key]) });
    subjects.push({ label: "(no role)", actor: await fresh([]) });
    subjects.push({
      label: "token of an admin since demoted to developer",
      actor: await tokenOfDemoted([], "developer"),
    });
    subjects.push({
      label: "token for staging and production of an admin since moved to operations",
      actor: await tokenOfDemoted(["staging", "production"], "operations"),
    });
  }, 120_000);

  /**
   * A token holding every permission (but release.approve: approvals are given by people), made
   * by an admin who then has only `roleKey`, resolved as a request would resolve it.
   */
  async function tokenOfDemoted(environmentKeys: string[], roleKey: string): Promise<Actor> {
    const admin = await signedIn(await userWithRoles(["admin"]));
    const permissions = [...new Set<Permission>([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS])].filter(
      (p) => p !== "release.approve",
    );
    const { plaintext } = await createToken(admin, { name: `subject-${roleKey}`, permissions, environmentKeys });
    const role = await db().role.findUniqueOrThrow({ where: { key: roleKey }, select: { id: true } });
    await db().userRole.deleteMany({ where: { userId: admin.id } });
    await db().userRole.create({ data: { userId: admin.id, roleId: role.id } });
    const actor = await tokenActor(`Bearer ${plaintext}`);
    if (!actor) throw new Error("the subject token did not resolve");
    return actor;
  }

  it("finds every operation, however deep its file lies under lib/data", () => {
    const here = path.dirname(new URL(import.meta.url).pathname);
    const defining = sourceFiles(here)
      .filter((file) => fs.readFileSync(file, "utf8").includes("defineOperation({"))
      .map((file) => `./${path.relative(here, file)}`);
    // nested files exist (lib/data/<noun>/<verb>.ts) and every one was loaded
    expect(defining.some((file) => file.split("/").length > 2)).toBe(true);
    expect(defining.filter((file) => !(file in loaded))).toEqual([]);
    // and every operation name written in those files is registered
    const named = defining.flatMap((file) =>
      [...fs.readFileSync(path.join(here, file), "utf8").matchAll(/defineOperation\(\{\s*name: "([^"]+)"/g)].map(
        (m) => m[1]!,
      ),
    );
    expect(named.filter((name) => !operations.has(name))).toEqual([]);
    expect(operations.has("deployment.promote")).toBe(true); // lib/data/promotion/promote.ts
  });

  it("every operation has a sample input", () => {
    const missing = [...operations.keys()].filter((name) => !samples[name]);
    expect(missing).toEqual([]);
    expect(operations.size).toBeGreaterThan(0);
  });

  async function expectation(operation: Operation<unknown, unknown>, input: unknown, actor: Actor): Promise<Outcome[]> {
    const spec = operation.spec;
    switch (spec.scope) {
      case "global":
        // a token never mints tokens, whatever it holds
        if (spec.name === "token.create" && actor.kind === "token") return ["forbidden"];
        return [can(actor, spec.permission, null) ? "allowed" : "forbidden"];
      case "environment": {
        const target = await spec.environment(spec.input.parse(input), db());
        // where a second factor is asked for, a token cannot give one (the people here have one)
        const needsFactor =
          target.secondFactor?.required === true && SECOND_FACTOR_PERMISSIONS.includes(spec.permission as never);
        // approvals of flag changes are people's: a token never gives one, whatever it holds
        const peopleOnly = spec.name === "flag.change.approve" || spec.name === "flag.change.reject";
        if (can(actor, spec.permission, target.id))
          return [(needsFactor || peopleOnly) && actor.kind === "token" ? "forbidden" : "allowed"];
        if (spec.hidden === "not_found" && !can(actor, "environment.view", target.id)) return ["not_found"];
        return ["forbidden"];
      }
      case "visible":
        // a read of something in a hidden environment is unknown to the caller; one who may
        // see no environment at all may be refused
        return ["allowed", "not_found", "forbidden"];
    }
  }

  function leakIn(result: unknown, actor: Actor): string | null {
    const text = JSON.stringify(result) ?? "";
    const hidden = environments.filter((e) => !can(actor, "environment.view", e.id) && text.includes(e.id));
    return hidden.length ? hidden.map((e) => e.key).join(", ") : null;
  }

  it("allows each operation exactly where the matrix grants its permission, and reads show nothing hidden", async () => {
    const mismatches: string[] = [];
    let checks = 0;
    let denials = 0;
    const deniedBefore = await db().auditEvent.count({ where: { action: "authz.denied" } });
    for (const [name, operation] of [...operations.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const sample = samples[name];
      if (!sample) continue;
      for (const subject of subjects) {
        for (const environment of environments) {
          const context: SampleContext = { environment, unique: randomUUID().slice(0, 8), actor: subject.actor };
          const input = await sample(context);
          const expected = await expectation(operation, input, subject.actor);
          let outcome: Outcome;
          let recorded = false;
          try {
            const result = await operation(subject.actor, input);
            const { spec } = operation;
            const leak = spec.scope === "visible" && !spec.showsEveryEnvironment ? leakIn(result, subject.actor) : null;
            outcome = leak ? `leak: ${leak}` : "allowed";
          } catch (e) {
            recorded = e instanceof ForbiddenError && e.denialRecorded;
            // a ConflictError (a closed gate, say) comes from the operation's body, which runs only
            // after authorization allowed the call
            outcome =
              e instanceof ForbiddenError
                ? "forbidden"
                : e instanceof NotFoundError
                  ? "not_found"
                  : e instanceof ConflictError
                    ? "allowed"
                    : `error: ${(e as Error).message}`;
          }
          checks++;
          if (recorded) denials++;
          // a refusal by the matrix is always on record (live polling's is the one exception:
          // lib/data/live.ts says why)
          if (outcome === "forbidden" && !recorded && name !== "live.stamp")
            mismatches.push(
              `${name} as ${subject.label} in ${environment.key}: refused without an authz.denied record`,
            );
          if (!expected.includes(outcome))
            mismatches.push(
              `${name} as ${subject.label} in ${environment.key}: expected ${expected.join(" or ")}, got ${outcome}`,
            );
        }
      }
    }
    const scopes = [...operations.values()].reduce<Record<string, number>>(
      (n, o) => ({ ...n, [o.spec.scope]: (n[o.spec.scope] ?? 0) + 1 }),
      {},
    );
    console.log(
      `authorization: ${checks} checks (${operations.size} operations [${Object.entries(scopes)
        .map(([s, n]) => `${n} ${s}`)
        .join(
          ", ",
        )}] × ${subjects.length} subjects [roles and tokens] × ${environments.length} environments), ${mismatches.length} mismatches`,
    );
    expect(mismatches).toEqual([]);
    // every refusal by the matrix left its trace
    expect(await db().auditEvent.count({ where: { action: "authz.denied" } })).toBe(deniedBefore + denials);
  }, 600_000);
});
