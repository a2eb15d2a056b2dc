import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { db, pool } from "../db";
import { resetDatabase } from "../test/reset";
import { createBoss } from "./boss";

// Background jobs and request traffic at the same time, on the same pool: every job runs
// exactly once, every request completes, nothing deadlocks — on both databases.

describe("job queue next to request traffic", () => {
  let boss: PgBoss;
  beforeAll(async () => {
    boss = createBoss(pool());
    await boss.start();
    await boss.createQueue("greenlight-test");
  }, 120_000);
  afterAll(async () => {
    await boss.stop({ graceful: false });
  });
  beforeEach(resetDatabase);

  it("runs 20 jobs exactly once while 100 requests run", async () => {
    const ran: number[] = [];
    await boss.work<{ n: number }>("greenlight-test", { pollingIntervalSeconds: 0.5, batchSize: 5 }, async (jobs) => {
      for (const job of jobs) {
        await db().auditEvent.create({
          data: { actorLabel: "system", action: "test.job", entityType: "Job", entityId: String(job.data.n) },
        });
        ran.push(job.data.n);
      }
    });
    const requests = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0
        ? db().auditEvent.count()
        : db().$transaction(async (tx) =>
            tx.auditEvent.create({ data: { actorLabel: "web", action: "test.request", entityType: "Request" } }),
          ),
    );
    const sends = Array.from({ length: 20 }, (_, n) => boss.send("greenlight-test", { n }));
    await Promise.all([...requests, ...sends]);

    const deadline = Date.now() + 30_000;
    while (ran.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(await db().auditEvent.count({ where: { action: "test.job" } })).toBe(20);
    expect(await db().auditEvent.count({ where: { action: "test.request" } })).toBe(50);
  });
});
