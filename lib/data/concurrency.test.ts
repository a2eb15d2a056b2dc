import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { resetDatabase } from "../test/reset";

// The app's normal load on either database: many requests at once, reads interleaved with
// interactive transactions, some of which roll back. Nothing may error, deadlock or leak a
// rolled-back write. (On the embedded database all of this shares one connection.)

describe("database concurrency", () => {
  beforeEach(resetDatabase);

  it("serves 200 concurrent reads and transactions without errors, deadlocks or lost writes", async () => {
    const app = await db().application.create({ data: { key: "storefront", name: "Storefront" } });
    const errors: string[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        try {
          if (i % 3 === 0) {
            const rows = await db().$queryRaw<{ v: number }[]>`select ${i}::int as v`;
            expect(rows[0]?.v).toBe(i);
          } else if (i % 3 === 1) {
            await db().$transaction(async (tx) => {
              const release = await tx.release.create({
                data: { applicationId: app.id, version: `1.0.${i}`, commitSha: "a".repeat(40), title: `r${i}` },
              });
              const again = await tx.release.findUnique({ where: { id: release.id } });
              expect(again?.version).toBe(`1.0.${i}`);
              if (i % 4 === 1) throw new Error("rollback on purpose");
            });
          } else {
            await db().release.count({ where: { applicationId: app.id } });
          }
        } catch (e) {
          if ((e as Error).message !== "rollback on purpose") errors.push((e as Error).message);
        }
      }),
    );
    expect(errors).toEqual([]);
    // i % 3 === 1 creates; of those, i % 4 === 1 rolled back
    const kept = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 3 === 1 && i % 4 !== 1).length;
    expect(await db().release.count()).toBe(kept);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
