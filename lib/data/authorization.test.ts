/// <reference types="vite/client" />
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { can, type UserActor } from "../domain/access";
import { resetDatabase } from "../test/reset";
import { userWithRoles } from "../test/actors";
import { ConflictError, ForbiddenError } from "./errors";
import { operations } from "./operation";
import { loadPreset } from "../presets/load";
import { samples, type SampleContext } from "./authorization.samples";

// The exhaustive authorization check: every permission-guarded operation of lib/data, called
// as a user holding exactly one role, in every environment, must succeed exactly when the
// access matrix grants its permission there — and be refused with ForbiddenError (and an
// authz.denied audit row) otherwise. The list of operations is not written here: importing
// lib/data registers them (lib/data/operation.ts), and an operation without a sample input in
// authorization.samples.ts fails the suite, so the check grows with every new operation.

import.meta.glob(["./**/*.ts", "!./**/*.test.ts", "!./**/*.fixture.ts", "!./authorization.samples*.ts"], {
  eager: true,
});

interface Subject {
  label: string;
  actor: UserActor;
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
    for (const role of roles) subjects.push({ label: role.key, actor: await userWithRoles([role.key]) });
    subjects.push({ label: "(no role)", actor: await userWithRoles([]) });
  }, 120_000);

  it("every operation has a sample input", () => {
    const missing = [...operations.keys()].filter((name) => !samples[name]);
    expect(missing).toEqual([]);
    expect(operations.size).toBeGreaterThan(0);
  });

  it("allows each operation exactly where the matrix grants its permission", async () => {
    const mismatches: string[] = [];
    let checks = 0;
    let denials = 0;
    const deniedBefore = await db().auditEvent.count({ where: { action: "authz.denied" } });
    for (const [name, operation] of [...operations.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const sample = samples[name];
      if (!sample) continue;
      for (const subject of subjects) {
        for (const environment of environments) {
          const context: SampleContext = { environment, unique: randomUUID().slice(0, 8) };
          const input = await sample(context);
          const target = await operation.spec.environment(operation.spec.input.parse(input));
          const expected = can(subject.actor, operation.spec.permission, target?.id ?? null);
          let outcome: string;
          try {
            await operation(subject.actor, input);
            outcome = "allowed";
          } catch (e) {
            // a ConflictError (a closed gate, say) comes from the operation's body, which runs only
            // after authorization allowed the call
            outcome =
              e instanceof ForbiddenError
                ? "forbidden"
                : e instanceof ConflictError
                  ? "allowed"
                  : `error: ${(e as Error).message}`;
          }
          checks++;
          if (outcome === "forbidden") denials++;
          if (outcome !== (expected ? "allowed" : "forbidden"))
            mismatches.push(
              `${name} as ${subject.label} in ${environment.key}: expected ${expected ? "allowed" : "forbidden"}, got ${outcome}`,
            );
        }
      }
    }
    console.log(
      `authorization: ${checks} checks (${operations.size} operations × ${subjects.length} roles × ${environments.length} environments), ${mismatches.length} mismatches`,
    );
    expect(mismatches).toEqual([]);
    // every refusal left its trace
    expect(await db().auditEvent.count({ where: { action: "authz.denied" } })).toBe(deniedBefore + denials);
  }, 300_000);
});
