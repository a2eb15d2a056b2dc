import type { PgBoss } from "pg-boss";
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
    // exclusive: per singletonKey (the deployment id) at most one job queued or active, so a
    // re-enqueue by the reconciler can never produce a second concurrent run
    await boss.createQueue(DEPLOY_QUEUE, { policy: "exclusive", retryLimit: 0, expireInSeconds: 4 * 3600 });
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
