import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { INTERRUPTED } from "../data/deployments";
import { promoteRelease } from "../data/promotion/promote";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { startWorker, stopWorker, until } from "../test/worker";
import { resetDatabase } from "../test/reset";
import { reconcileOnce, runDeployment, startDeployWorker, stopDeployWorker } from "./deploy-worker";

// The deploy worker with real processes: a command that succeeds, fails, is missing or hangs;
// the pg-boss path end to end; and a worker process killed mid-deploy, then restarted.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const deployment = (id: string) => db().deployment.findUniqueOrThrow({ where: { id } });
const logOf = async (id: string) =>
  (await db().deploymentLogLine.findMany({ where: { deploymentId: id }, orderBy: { id: "asc" } })).map(
    (l) => `${l.stream.toLowerCase()}: ${l.line}`,
  );

async function promotedWith(deploy: object): Promise<{ world: PromotionWorld; deploymentId: string }> {
  await resetDatabase();
  const world = await insertPromotionWorld({ deploy });
  const release = await releaseAt(world, null, [world.env.development]);
  await db().checklistItem.deleteMany();
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
  return { world, deploymentId };
}

describe("deploy worker", () => {
  afterAll(() => stopDeployWorker({ graceSeconds: 0 }));
  beforeEach(() => stopDeployWorker({ graceSeconds: 0 }));

  it("runs the command with the release's variables, logs its output and succeeds; the next stage's checklist is copied", async () => {
    const { world, deploymentId } = await promotedWith({
      command: "node",
      args: [
        "-e",
        "console.log(`${process.env.GREENLIGHT_APP} ${process.env.GREENLIGHT_VERSION} -> ${process.env.GREENLIGHT_ENV}`)",
      ],
    });
    await db().checklistTemplate.create({
      data: {
        environment: { connect: { key: "production" } },
        name: "Go-live",
        items: { create: [{ position: 0, label: "Release notes published" }] },
      },
    });
    const result = await runDeployment(deploymentId);
    expect(result).toMatchObject({ ok: true });
    const copied = await db().checklistItem.findMany({ where: { environment: { key: "production" } } });
    expect(copied.map((i) => [i.label, i.checkedAt])).toEqual([["Release notes published", null]]);
    const done = await deployment(deploymentId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.finishedAt).not.toBeNull();
    const log = await logOf(deploymentId);
    expect(log.some((l) => /^stdout: storefront 1\.0\.\d+ -> staging$/.test(l))).toBe(true);
    expect(log.at(-1)).toMatch(/^system: Deployed 1\.0\.\d+ to Staging$/);
    const actions = (await db().auditEvent.findMany({ where: { entityId: deploymentId }, orderBy: { at: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["deployment.promote", "deployment.start", "deployment.succeed"]);
    // the release page's log view: oldest first, streams kept; hidden from who may not see staging
    const { getDeploymentLog } = await import("../data/promotion/view");
    const view = await getDeploymentLog(world.developer, deploymentId);
    expect(view).toMatchObject({ status: "succeeded", environmentName: "Staging", truncated: false });
    expect(view.lines.map((l) => `${l.stream}: ${l.line}`)).toEqual(log);
    await expect(getDeploymentLog(world.approvers[0]!, deploymentId)).rejects.toThrow(/Deployment was not found/);
    // never twice: the job delivered again finds the deployment no longer queued
    expect(await runDeployment(deploymentId)).toBeNull();
  });

  it.each([
    ["a command that does not exist", { command: "/nonexistent/deploy-tool" }, /nonexistent\/deploy-tool/],
    [
      "a command that exits non-zero",
      { command: "node", args: ["-e", "console.error('boom'); process.exit(3)"] },
      /exit(ed)? .*3/,
    ],
    [
      "a command that hangs past its timeout",
      { command: "node", args: ["-e", "setTimeout(() => {}, 60000)"], timeoutSeconds: 1 },
      /timed out|timeout/i,
    ],
  ])(
    "fails the deployment for %s, with the reason in its log",
    async (_, deploy, reason) => {
      const { deploymentId } = await promotedWith(deploy);
      if ("timeoutSeconds" in deploy) await db().deployTarget.updateMany({ data: { timeoutSeconds: 1 } });
      const result = await runDeployment(deploymentId);
      expect(result?.ok).toBe(false);
      const done = await deployment(deploymentId);
      expect(done.status).toBe("FAILED");
      expect(done.failureReason).toMatch(reason);
      expect((await logOf(deploymentId)).at(-1)).toMatch(/^system: Deploy failed: /);
      // nothing else changed: no checklist copied for production, the release is not live anywhere new
      expect(await db().checklistItem.count()).toBe(0);
    },
    30_000,
  );

  it("fails clearly when no deploy target is configured", async () => {
    const { deploymentId } = await promotedWith({ command: "true" });
    await db().deployTarget.deleteMany();
    await runDeployment(deploymentId);
    expect((await deployment(deploymentId)).failureReason).toBe(
      "No deploy target is configured for storefront in Staging",
    );
  });

  it("runs promoted deployments through the durable queue", async () => {
    const { deploymentId } = await promotedWith({
      command: "node",
      args: ["-e", "console.log('hello from the queue')"],
    });
    await startDeployWorker();
    const done = await until(
      () => deployment(deploymentId),
      (d) => d.status === "SUCCEEDED" || d.status === "FAILED",
    );
    expect(done.status).toBe("SUCCEEDED");
    expect(await logOf(deploymentId)).toContain("stdout: hello from the queue");
  }, 40_000);

  it("a worker killed mid-deploy: the deploy is failed as interrupted, never run again, never left running", async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-crash-")), "runs.txt");
    const script = `require('fs').appendFileSync(${JSON.stringify(marker)}, 'run\\n'); console.log('started'); setTimeout(() => {}, 60000)`;
    const { deploymentId } = await promotedWith({ command: "node", args: ["-e", script] });

    const first = startWorker({ GREENLIGHT_DEPLOY_STALE_SECONDS: "3" });
    const running = await until(
      () => deployment(deploymentId),
      (d) => d.status === "RUNNING",
    );
    expect(running.status).toBe("RUNNING");
    await until(
      () => logOf(deploymentId),
      (log) => log.includes("stdout: started"),
    );
    first.child.kill("SIGKILL");
    await first.exited;

    // a new worker: its reconciler sees the stale heartbeat and fails the deployment
    const second = startWorker({ GREENLIGHT_DEPLOY_STALE_SECONDS: "3" });
    try {
      const done = await until(
        () => deployment(deploymentId),
        (d) => d.status !== "RUNNING",
        30_000,
      );
      expect(done.status).toBe("FAILED");
      expect(done.failureReason).toBe(INTERRUPTED);
      // what runs there is unknown from now on, until a deploy or a version check says
      expect(done.interruptedAt).not.toBeNull();
      await sleep(1500);
      expect(fs.readFileSync(marker, "utf8")).toBe("run\n");
      expect((await deployment(deploymentId)).status).toBe("FAILED");
      expect(await db().auditEvent.count({ where: { entityId: deploymentId, action: "deployment.fail" } })).toBe(1);
    } finally {
      await stopWorker(second);
    }
  }, 90_000);

  it("sends the job again for a queued deployment whose job was lost, never a second one while it waits", async () => {
    const { deploymentId } = await promotedWith({ command: "true" });
    await db().deployment.update({ where: { id: deploymentId }, data: { queuedAt: new Date(Date.now() - 120_000) } });
    // the job sent with the promotion still waits: nothing to add
    expect((await reconcileOnce()).requeued).toEqual([]);
    await db().$executeRaw`delete from pgboss.job where singleton_key = ${deploymentId}`;
    expect((await reconcileOnce()).requeued).toEqual([deploymentId]);
    expect((await reconcileOnce()).requeued).toEqual([]);
  });
});
