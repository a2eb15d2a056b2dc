/// <reference types="vite/client" />
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import type { UserActor } from "../domain/access";
import { loadPreset } from "../presets/load";
import { fullAccessActor } from "../test/actors";
import { FUZZ_SEED, malformedVersionsOf, rowsFingerprint } from "../test/malformed";
import { resetDatabase } from "../test/reset";
import { samples } from "./authorization.samples";
import { DomainError, ValidationError } from "./errors";
import { operations } from "./operation";

// Property-based fuzz of every operation's input (the HTTP side is app/api/bad-input.test.ts).
// Operations are found as in authorization.test.ts: importing lib/data registers them all. Each
// is called as a user holding every permission with its valid sample input made malformed in
// one place — a NUL or a lone surrogate, a wrong type, an extreme number or date, a huge or a
// deeply nested value, broken percent-encoding — and must:
//  - answer with a domain error (422, 404, 403, 409) or, when the value happens to be one the
//    schema accepts, succeed; never throw anything else (a database error would be a 500);
//  - change no row when it refuses (a fingerprint of every table, before and after).
// The seed is fixed (FUZZ_SEED replays another) and fast-check prints it with any failure.

import.meta.glob(["./**/*.ts", "!./**/*.test.ts", "!./**/*.fixture.ts", "!./authorization.samples*.ts"], {
  eager: true,
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

describe("every operation's input, fuzzed", () => {
  let admin: UserActor;
  let environment: { id: string; key: string; name: string };

  beforeAll(async () => {
    await resetDatabase();
    await loadPreset(db(), "000-monepiceriz", { password: "bad-input-test" });
    admin = await fullAccessActor();
    environment = await db().environment.findFirstOrThrow({
      select: { id: true, key: true, name: true },
      orderBy: { position: "asc" },
    });
  }, 120_000);

  it("covers every registered operation", () => {
    expect(operations.size).toBeGreaterThan(30);
    expect([...operations.keys()].filter((name) => !samples[name])).toEqual([]);
  });

  const names = [...operations.keys()].sort();
  it.each(names)("%s refuses malformed input with a domain error and changes nothing", async (name) => {
    const operation = operations.get(name)!;
    const valid = await samples[name]!({ environment, unique: randomUUID().slice(0, 8), actor: admin });
    const { examples, arbitrary } = malformedVersionsOf(valid);
    let before = await rowsFingerprint();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ input, place }) => {
        let error: unknown = null;
        try {
          await operation(admin, input);
        } catch (e) {
          error = e;
        }
        const after = await rowsFingerprint();
        if (error === null) {
          before = after; // accepted: a write may change rows
          return;
        }
        // anything but a domain error would be a 500
        if (!(error instanceof DomainError))
          throw new Error(
            `${name} threw ${error instanceof Error ? error.message : "a non-error"} for a malformed ${place}`,
            {
              cause: error,
            },
          );
        refused++;
        if (error instanceof ValidationError) expect(Object.keys(error.fieldErrors).length).toBeGreaterThan(0);
        expect(after, `${name} refused a malformed ${place} (${error.code}) but changed rows`).toBe(before);
      }),
      { seed: FUZZ_SEED, numRuns: examples.length + RUNS, examples: examples.map((example) => [example]) },
    );
    // malformed input is mostly refused: a fuzz that only ever succeeded would test nothing
    expect(refused).toBeGreaterThan(0);
  });
});
