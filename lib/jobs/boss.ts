import type PgBoss from "pg-boss";
import { pool } from "../db";
import { createBoss } from "../queue/boss";

// The process's started pg-boss, for workers: they fetch jobs and keep the queue maintained.
// Sending needs none of this (lib/queue/send.ts sends inside the caller's transaction).

type Globals = { __greenlightBoss?: Promise<PgBoss> };
const globals = globalThis as Globals;

export function workerBoss(): Promise<PgBoss> {
  globals.__greenlightBoss ??= (async () => {
    const boss = createBoss(pool());
    await boss.start();
    return boss;
  })().catch((e: unknown) => {
    globals.__greenlightBoss = undefined;
    throw e;
  });
  return globals.__greenlightBoss;
}

export async function stopWorkerBoss(): Promise<void> {
  const started = globals.__greenlightBoss;
  globals.__greenlightBoss = undefined;
  if (started) await (await started).stop({ graceful: false, wait: true });
}
