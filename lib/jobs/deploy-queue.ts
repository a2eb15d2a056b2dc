import type PgBoss from "pg-boss";
import { pool } from "../db";
import { createQueue } from "./queue";

// The process's one pg-boss instance and the deploy queue on it. Sending starts it lazily, so
// a web request that promotes works whether or not this process also runs the worker.

export const DEPLOY_QUEUE = "deploy";

type Globals = { __greenlightBoss?: Promise<PgBoss> };
const globals = globalThis as Globals;

export function queue(): Promise<PgBoss> {
  globals.__greenlightBoss ??= (async () => {
    const boss = createQueue(pool());
    await boss.start();
    // stately: per singletonKey (the deployment id) at most one job queued and one active; the
    // worker's claim (queued → running in one UPDATE) makes a second delivery a no-op
    await boss.createQueue(DEPLOY_QUEUE, { name: DEPLOY_QUEUE, policy: "stately", retryLimit: 0, expireInSeconds: 4 * 3600 });
    return boss;
  })().catch((e: unknown) => {
    globals.__greenlightBoss = undefined;
    throw e;
  });
  return globals.__greenlightBoss;
}

/** Asks a worker to run the deployment. Safe to repeat: the deployment id is the singleton key. */
export async function enqueueDeploy(deploymentId: string): Promise<void> {
  const boss = await queue();
  await boss.send(DEPLOY_QUEUE, { deploymentId }, { singletonKey: deploymentId });
}

export async function stopQueue(): Promise<void> {
  const started = globals.__greenlightBoss;
  globals.__greenlightBoss = undefined;
  if (started) await (await started).stop({ graceful: false });
}
