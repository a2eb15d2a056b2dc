import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { createDeployment } from "../data/deployments/create";
import { promoteRelease } from "../data/promotion/promote";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { startWorker, until } from "../test/worker";
import { resetDatabase } from "../test/reset";

// Stopping a worker process with SIGTERM while it deploys (lib/jobs/shutdown.ts): it takes no
// new job, lets the running deploy finish within GREENLIGHT_SHUTDOWN_GRACE_SECONDS and exits; a
// deploy that outlasts the grace period is failed as interrupted and its process stopped. Real
// processes throughout: the worker (`npm run worker`'s entry) and the command provider's deploy.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const deployment = (id: string) => db().deployment.findUniqueOrThrow({ where: { id } });
const logOf = async (id: string) =>
  (await db().deploymentLogLine.findMany({ where: { deploymentId: id }, orderBy: { id: "asc" } })).map(
    (l) => `${l.stream.toLowerCase()}: ${l.line}`,
  );

let dir: string;
let world: PromotionWorld;

/** A deploy that writes its pid, prints "started", then runs for `seconds` and prints "done". */
async function promoteDeployOf(seconds: number): Promise<string> {
  const pidFile = path.join(dir, "deploy.pid");
  const script =
    `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); console.log('started'); ` +
    `setTimeout(() => console.log('done'), ${seconds * 1000})`;
  await db().deployTarget.updateMany({ data: { config: { command: "node", args: ["-e", script] } } });
  const release = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
  return deploymentId;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeEach(async () => {
  await resetDatabase();
  world = await insertPromotionWorld();
  await db().checklistItem.deleteMany();
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-shutdown-"));
});

describe("a worker stopped with SIGTERM", () => {
  it("lets the running deploy finish, takes no new job, then exits", async () => {
    const deploymentId = await promoteDeployOf(3);
    const { child, exited } = startWorker({ GREENLIGHT_SHUTDOWN_GRACE_SECONDS: "30" });
    try {
      await until(
        () => logOf(deploymentId),
        (log) => log.includes("stdout: started"),
      );
      const signalledAt = Date.now();
      child.kill("SIGTERM");
      // a deploy queued after the signal: the stopping worker leaves it alone
      await sleep(300);
      const release = await db().release.findFirstOrThrow();
      const queued = await db().$transaction((tx) =>
        createDeployment(tx, {
          releaseId: release.id,
          applicationId: world.applicationId,
          environmentId: world.env.production,
          strategy: "direct",
          triggeredBy: null,
          queuedAt: new Date(),
        }),
      );
      const code = await exited;
      const tookMs = Date.now() - signalledAt;

      expect(code).toBe(0);
      // it waited for the deploy (about 3 s from its start), well within the 30 s grace period
      expect(tookMs).toBeGreaterThan(1500);
      expect(tookMs).toBeLessThan(25_000);
      const done = await deployment(deploymentId);
      expect(done.status).toBe("SUCCEEDED");
      expect(done.interruptedAt).toBeNull();
      expect(await logOf(deploymentId)).toContain("stdout: done");
      expect((await deployment(queued.id)).status).toBe("QUEUED");
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("past the grace period: fails the deploy as interrupted, audited, and stops its process", async () => {
    const deploymentId = await promoteDeployOf(60);
    const { child, exited } = startWorker({ GREENLIGHT_SHUTDOWN_GRACE_SECONDS: "2" });
    try {
      await until(
        () => logOf(deploymentId),
        (log) => log.includes("stdout: started"),
      );
      const pid = Number(fs.readFileSync(path.join(dir, "deploy.pid"), "utf8"));
      expect(alive(pid)).toBe(true);
      const signalledAt = Date.now();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const tookMs = Date.now() - signalledAt;
      // the 2 s grace, then the deploy process's SIGTERM; well before the deploy's own 60 s
      expect(tookMs).toBeGreaterThan(1500);
      expect(tookMs).toBeLessThan(15_000);

      const done = await deployment(deploymentId);
      expect(done.status).toBe("FAILED");
      expect(done.interruptedAt).not.toBeNull();
      expect(done.heartbeatAt).toBeNull();
      expect(done.failureReason).toMatch(
        /^Interrupted: Greenlight was stopped and this deploy did not finish within the \d+ s it waited for it .*unknown until the next deploy or a version check/,
      );
      const log = await logOf(deploymentId);
      expect(log).not.toContain("stdout: done");
      expect(log).toContain(`system: ${done.failureReason}`);
      const audits = await db().auditEvent.findMany({ where: { entityId: deploymentId, action: "deployment.fail" } });
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        actorLabel: "system",
        environmentKey: "staging",
        after: { status: "failed", interrupted: true, reason: done.failureReason },
      });
      // nothing of the deploy is left running behind the worker
      await until(
        () => Promise.resolve(alive(pid)),
        (a) => !a,
        10_000,
      );
      expect(alive(pid)).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);
});
