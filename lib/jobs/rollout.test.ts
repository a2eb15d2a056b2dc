import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import {
  abortDeployment,
  pauseDeployment,
  promoteNow,
  releaseHold,
  resumeDeployment,
  rollbackEnvironment,
} from "../data/deployments/control";
import { getDeployment } from "../data/deployments/view";
import { autoPromote } from "../data/promotion/auto-promote";
import { promoteRelease } from "../data/promotion/promote";
import { startPrometheus, type TestPrometheus } from "../test/prometheus";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { resetDatabase } from "../test/reset";
import { runDeployment, startDeployWorker, stopDeployWorker } from "./deploy-worker";

// Rollouts end to end with real parts: the demo deploy script (two colours behind a proxy that
// splits traffic by percentage and exposes Prometheus metrics) run by the command provider, a
// real Prometheus scraping that proxy for the health analysis, and the durable queue's worker.

const script = path.resolve("lib/deploy/demo/deploy.mjs");
const dirs: string[] = [];
const prometheuses: TestPrometheus[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms: last saw ${JSON.stringify(value)}`);
    await sleep(150);
  }
}

interface Demo {
  world: PromotionWorld;
  port: number;
  dir: string;
  url: string;
}

/** A pipeline whose staging deploys with the demo script on a proxy port of its own; r1 already runs there (blue). */
async function demoWorld(steps: { percent: number; pauseSeconds: number }[]): Promise<Demo & { first: string }> {
  await resetDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-rollout-"));
  dirs.push(dir);
  const port = await freePort();
  const world = await insertPromotionWorld({
    deploy: {
      command: process.execPath,
      args: [script],
      env: { GREENLIGHT_DATA_DIR: dir, GREENLIGHT_PORT: String(port) },
    },
  });
  await db().deployTarget.updateMany({ data: { timeoutSeconds: 60 } });
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  await db().environment.update({
    where: { id: world.env.staging },
    data: { rolloutStrategy: "DIRECT", url: `http://127.0.0.1:${port}/` },
  });
  const first = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: first.id, environmentKey: "staging" });
  expect(await runDeployment(deploymentId)).toMatchObject({ ok: true, status: "succeeded" });
  await db().environment.update({
    where: { id: world.env.staging },
    data: { rolloutStrategy: "CANARY", rolloutSteps: steps },
  });
  return { world, port, dir, url: `http://127.0.0.1:${port}/`, first: first.version };
}

async function versionsOver(url: string, requests: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < requests; i++) {
    const body = (await (await fetch(`${url}healthz`)).json()) as { version: string };
    seen.set(body.version, (seen.get(body.version) ?? 0) + 1);
  }
  return seen;
}

const status = async (id: string) => (await db().deployment.findUniqueOrThrow({ where: { id } })).status;

afterAll(async () => {
  await stopDeployWorker({ graceSeconds: 0 });
  for (const p of prometheuses) await p.stop();
  for (const dir of dirs) {
    for (const file of fs.existsSync(path.join(dir, "demo-services"))
      ? fs.readdirSync(path.join(dir, "demo-services"))
      : []) {
      try {
        const state = JSON.parse(fs.readFileSync(path.join(dir, "demo-services", file), "utf8")) as {
          pid?: number;
          colors?: Record<string, { pid?: number }>;
        };
        for (const pid of [state.pid, state.colors?.blue?.pid, state.colors?.green?.pid])
          if (pid)
            try {
              process.kill(pid, "SIGTERM");
            } catch {
              // gone
            }
      } catch {
        // not a state file
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A release of the demo's "bad" kind: it answers 500 to most requests but passes /healthz. */
async function badRelease(world: PromotionWorld) {
  const bad = await db().release.create({
    data: {
      applicationId: world.applicationId,
      version: `2.0.${Date.now()}-bad`,
      commitSha: "badbadbad0",
      title: "Bad",
    },
  });
  // it ran in development, so staging's gates let it in
  await db().deployment.create({
    data: {
      releaseId: bad.id,
      applicationId: world.applicationId,
      environmentId: world.env.development,
      status: "SUCCEEDED",
      finishedAt: new Date(),
    },
  });
  return bad;
}

/** Staging deploys blue-green and probes its home page, given as a path; its own URL leads nowhere. */
async function blueGreenWithProbe(demo: Demo) {
  await db().environment.update({
    where: { id: demo.world.env.staging },
    data: {
      rolloutStrategy: "BLUE_GREEN",
      rolloutSteps: [{ percent: 100, pauseSeconds: 0 }],
      // were the paths resolved against it, every probe would fail: only the reported URLs work
      url: "http://127.0.0.1:9/nowhere",
      healthChecks: [
        {
          kind: "http",
          name: "Home page",
          url: "/",
          expectedStatus: 200,
          timeoutSeconds: 5,
          intervalSeconds: 5,
          failuresAllowed: 1,
        },
      ],
    },
  });
}

describe("the smoke check of the idle colour", () => {
  beforeEach(() => stopDeployWorker({ graceSeconds: 0 }));

  it("blue-green: a bad release fails at the smoke check on its own colour, and traffic never moves", async () => {
    const demo = await demoWorld([{ percent: 100, pauseSeconds: 0 }]);
    await blueGreenWithProbe(demo);
    const bad = await badRelease(demo.world);
    const { deploymentId } = await promoteRelease(demo.world.developer, {
      releaseId: bad.id,
      environmentKey: "staging",
    });
    await runDeployment(deploymentId);
    expect(await status(deploymentId)).toBe("FAILED");
    const view = await getDeployment(demo.world.developer, deploymentId);
    expect(view.steps.map((s) => [s.action, s.trafficPercent, s.status])).toEqual([
      ["deploy", 0, "succeeded"],
      ["smoke", 0, "failed"],
    ]);
    // the deploy script said where the proxy and the new colour answer
    expect(view.serviceUrl).toBe(demo.url);
    expect(view.previewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(view.previewUrl).not.toBe(demo.url);
    // which check failed, and why: the probe of the idle colour's own URL
    expect(view.failureReason).toMatch(/^The smoke check failed: the idle colour \(green\)/);
    expect(view.failureReason).toContain(`Home page: GET ${view.previewUrl} answered 500, expected 200`);
    const smoke = view.measurements.filter((m) => m.step === -1);
    expect(smoke.map((m) => m.outcome)).toEqual(["success", "failure"]); // one failure tolerated, the second not
    expect(smoke.every((m) => m.message.startsWith(`GET ${view.previewUrl} answered 500`))).toBe(true);
    // no traffic moved, so nothing was rolled back: every request still reaches the previous release
    expect(view.trafficPercent).toBe(0);
    expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([demo.first]);
    const actions = (await db().auditEvent.findMany({ where: { entityId: deploymentId }, orderBy: { at: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["deployment.promote", "deployment.start", "deployment.fail"]);
    const log = view.log.map((l) => l.line);
    expect(log.some((l) => l.startsWith("Deploy failed: The smoke check failed"))).toBe(true);
  }, 90_000);

  it("blue-green: a good release passes the smoke check, then takes all traffic, watched on the reported URL", async () => {
    const demo = await demoWorld([{ percent: 100, pauseSeconds: 0 }]);
    await blueGreenWithProbe(demo);
    const next = await releaseAt(demo.world, null, [demo.world.env.development]);
    const { deploymentId } = await promoteRelease(demo.world.developer, {
      releaseId: next.id,
      environmentKey: "staging",
    });
    expect(await runDeployment(deploymentId)).toMatchObject({ ok: true, status: "succeeded" });
    const view = await getDeployment(demo.world.developer, deploymentId);
    expect(view.steps.map((s) => [s.action, s.trafficPercent, s.status])).toEqual([
      ["deploy", 0, "succeeded"],
      ["smoke", 0, "succeeded"],
      ["traffic", 100, "succeeded"],
    ]);
    expect(view).toMatchObject({ status: "succeeded", trafficPercent: 100, serviceUrl: demo.url });
    // the smoke round probed the new colour on its own URL, before the switch ...
    const smoke = view.measurements.filter((m) => m.step === -1);
    expect(smoke).toHaveLength(1);
    expect(smoke[0]).toMatchObject({ outcome: "success", check: "Home page" });
    expect(smoke[0]!.message).toMatch(new RegExp(`^GET ${view.previewUrl!.replace(/\./g, "\\.")} answered 200`));
    // ... and the round after it probed the URL the deploy script reported, not the environment's
    const after = view.measurements.filter((m) => m.step === 0);
    expect(after.length).toBeGreaterThan(0);
    for (const m of after) expect(m.message).toMatch(new RegExp(`^GET ${demo.url.replace(/\./g, "\\.")} answered 200`));
    const switched = view.steps.find((s) => s.action === "traffic")!;
    const smoked = view.steps.find((s) => s.action === "smoke")!;
    expect(smoked.finishedAt!.getTime()).toBeLessThanOrEqual(switched.startedAt.getTime());
    expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([next.version]);
  }, 90_000);
});

describe("rollouts", () => {
  beforeEach(() => stopDeployWorker({ graceSeconds: 0 }));

  it("a canary moves 5 → 50 → 100 % of real traffic to the new colour, step by step, and keeps the old colour", async () => {
    const demo = await demoWorld([
      { percent: 5, pauseSeconds: 0 },
      { percent: 50, pauseSeconds: 0 },
    ]);
    const next = await releaseAt(demo.world, null, [demo.world.env.development]);
    const { deploymentId } = await promoteRelease(demo.world.developer, {
      releaseId: next.id,
      environmentKey: "staging",
    });
    expect(await runDeployment(deploymentId)).toMatchObject({ ok: true, status: "succeeded" });
    const view = await getDeployment(demo.world.developer, deploymentId);
    expect(view.steps.map((s) => [s.action, s.trafficPercent, s.status])).toEqual([
      ["deploy", 0, "succeeded"],
      // staging has no HTTP checks here: nothing to aim at the idle colour, and the step says so
      ["smoke", 0, "skipped"],
      ["traffic", 5, "succeeded"],
      ["traffic", 50, "succeeded"],
      ["traffic", 100, "succeeded"],
    ]);
    expect(view).toMatchObject({ status: "succeeded", trafficPercent: 100, color: "green", previousColor: "blue" });
    // every request now reaches the new version; the previous one still runs on blue
    expect([...(await versionsOver(demo.url, 20)).keys()]).toEqual([next.version]);
    const blue = (await (await fetch(`${demo.url}healthz`, { headers: { "x-greenlight-color": "blue" } })).json()) as {
      version: string;
    };
    expect(blue.version).toBe(demo.first);
    const actions = (await db().auditEvent.findMany({ where: { entityId: deploymentId }, orderBy: { at: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual([
      "deployment.promote",
      "deployment.start",
      "deployment.step",
      "deployment.step",
      "deployment.step",
      "deployment.succeed",
    ]);
  }, 90_000);

  it("a release whose errors climb at 50 % is rolled back automatically on Prometheus's 5xx ratio, with the measurement", async () => {
    const demo = await demoWorld([
      { percent: 5, pauseSeconds: 4 },
      { percent: 50, pauseSeconds: 30 },
    ]);
    const prometheus = await startPrometheus({ targets: [`127.0.0.1:${demo.port}`] });
    prometheuses.push(prometheus);
    await db().environment.update({
      where: { id: demo.world.env.staging },
      data: {
        healthChecks: [
          {
            kind: "prometheus",
            name: "5xx ratio",
            serverUrl: prometheus.url,
            query:
              // no 5xx yet is a ratio of 0, not "no data"
              '(sum(rate(http_requests_total{app="{{application}}",code=~"5.."}[4s])) or vector(0)) / sum(rate(http_requests_total{app="{{application}}"}[4s]))',
            comparator: ">",
            threshold: 0.2,
            onBreach: "failure",
            intervalSeconds: 5,
          },
        ],
      },
    });
    // steady traffic through the proxy, as users would send it
    let sending = true;
    const traffic = (async () => {
      while (sending) {
        await fetch(demo.url).catch(() => undefined);
        await sleep(10);
      }
    })();
    try {
      // the rates need a few scrapes of that traffic before they say anything
      await until(
        "Prometheus sees the traffic",
        async () => {
          const body = new URLSearchParams({ query: 'sum(rate(http_requests_total{app="storefront"}[4s]))' });
          const answer = (await (await fetch(`${prometheus.url}/api/v1/query`, { method: "POST", body })).json()) as {
            data?: { result?: unknown[] };
          };
          return answer.data?.result?.length ?? 0;
        },
        (n) => n > 0,
        30_000,
      );
      const bad = await db().release.create({
        data: {
          applicationId: demo.world.applicationId,
          version: `2.0.${Date.now()}-bad`,
          commitSha: "badbadbad0",
          title: "Bad",
        },
      });
      await db().deployment.create({
        data: {
          releaseId: bad.id,
          applicationId: demo.world.applicationId,
          environmentId: demo.world.env.development,
          status: "SUCCEEDED",
          finishedAt: new Date(),
        },
      });
      const { deploymentId } = await promoteRelease(demo.world.developer, {
        releaseId: bad.id,
        environmentKey: "staging",
      });
      await startDeployWorker({ reconcileSeconds: 60 });
      const done = await until(
        "the rollout ends",
        () => status(deploymentId),
        (s) => ["ROLLED_BACK", "SUCCEEDED", "FAILED", "PAUSED"].includes(s),
        90_000,
      );
      expect(done).toBe("ROLLED_BACK");
      const view = await getDeployment(demo.world.developer, deploymentId);
      // it went through 5 % unharmed and failed at 50 %
      expect(view.steps.find((s) => s.trafficPercent === 5)?.status).toBe("succeeded");
      expect(view.steps.find((s) => s.trafficPercent === 50)?.status).toBe("failed");
      expect(view.failureReason).toMatch(/5xx ratio/);
      expect(view.measurements.some((m) => m.outcome === "failure" && m.value !== null && m.value > 0.2)).toBe(true);
      expect(view.trafficPercent).toBe(0);
      // every request is back on the previous release
      expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([demo.first]);
      const actions = (
        await db().auditEvent.findMany({ where: { entityId: deploymentId }, orderBy: { at: "asc" } })
      ).map((e) => e.action);
      expect(actions).toContain("deployment.rollback");
      expect(actions.at(-1)).toBe("deployment.rolled_back");
    } finally {
      sending = false;
      await traffic;
    }
  }, 150_000);

  it("a person pauses, resumes, skips the remaining pauses, or aborts; each is audited and the traffic follows", async () => {
    const demo = await demoWorld([
      { percent: 10, pauseSeconds: 600 },
      { percent: 50, pauseSeconds: 600 },
    ]);
    await startDeployWorker({ reconcileSeconds: 60 });
    const promote = async () => {
      const release = await releaseAt(demo.world, null, [demo.world.env.development]);
      const { deploymentId } = await promoteRelease(demo.world.developer, {
        releaseId: release.id,
        environmentKey: "staging",
      });
      return { version: release.version, deploymentId };
    };
    const at = (deploymentId: string, percent: number) =>
      until(
        `${percent} % and watching`,
        () => db().deployment.findUniqueOrThrow({ where: { id: deploymentId } }),
        (d) => d.trafficPercent === percent && d.phase === "ANALYSE",
      );
    const actionsOf = async (id: string) =>
      (await db().auditEvent.findMany({ where: { entityId: id }, orderBy: { at: "asc" } })).map((e) => e.action);

    const second = await promote();
    await at(second.deploymentId, 10);
    const split = await versionsOver(demo.url, 20);
    expect(split.get(second.version)).toBe(2);
    await pauseDeployment(demo.world.developer, { deploymentId: second.deploymentId, reason: "checking dashboards" });
    expect(await status(second.deploymentId)).toBe("PAUSED");
    await expect(pauseDeployment(demo.world.developer, { deploymentId: second.deploymentId })).rejects.toThrow(
      /already paused/,
    );
    // someone without deploy.trigger there is refused
    await expect(resumeDeployment(demo.world.qa, { deploymentId: second.deploymentId })).rejects.toThrow();
    await resumeDeployment(demo.world.developer, { deploymentId: second.deploymentId });
    expect(await status(second.deploymentId)).toBe("RUNNING");
    // "promote now": the two 600 s pauses end at once, the rollout completes
    await promoteNow(demo.world.developer, { deploymentId: second.deploymentId });
    await until(
      "succeeded",
      () => status(second.deploymentId),
      (s) => s === "SUCCEEDED",
    );
    expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([second.version]);
    for (const a of ["deployment.pause", "deployment.resume", "deployment.promote_now", "deployment.succeed"])
      expect(await actionsOf(second.deploymentId)).toContain(a);

    const third = await promote();
    await at(third.deploymentId, 10);
    await abortDeployment(demo.world.developer, { deploymentId: third.deploymentId, reason: "not today" });
    await until(
      "rolled back",
      () => status(third.deploymentId),
      (s) => s === "ROLLED_BACK",
    );
    expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([second.version]);
    expect(await actionsOf(third.deploymentId)).toEqual(
      expect.arrayContaining(["deployment.abort", "deployment.rolled_back"]),
    );
  }, 120_000);

  it("one click rolls an environment back to its previous release, which it then holds against auto-promotion", async () => {
    const demo = await demoWorld([{ percent: 50, pauseSeconds: 0 }]);
    const next = await releaseAt(demo.world, null, [demo.world.env.development]);
    const { deploymentId } = await promoteRelease(demo.world.developer, {
      releaseId: next.id,
      environmentKey: "staging",
    });
    await runDeployment(deploymentId);
    expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([next.version]);
    // deploy.rollback is its own permission
    await expect(
      rollbackEnvironment(demo.world.developer, {
        environmentKey: "staging",
        application: "storefront",
        reason: "errors",
      }),
    ).rejects.toThrow(/deploy.rollback/);
    await db().environmentPermission.updateMany({ data: { permissions: { push: "DEPLOY_ROLLBACK" } } });
    const { actorWith } = await import("../test/actors");
    const operator = await actorWith(
      ["environment.view", "deploy.trigger", "deploy.rollback"],
      [demo.world.env.staging],
    );
    await expect(
      rollbackEnvironment(operator, { environmentKey: "staging", application: "storefront", reason: "" }),
    ).rejects.toMatchObject({ fieldErrors: { reason: [expect.stringMatching(/Say why/)] } });
    const clicked = Date.now();
    const rollback = await rollbackEnvironment(operator, {
      environmentKey: "staging",
      application: "storefront",
      reason: "checkout errors",
    });
    expect(rollback).toMatchObject({ version: demo.first, from: next.version });
    expect(await runDeployment(rollback.deploymentId)).toMatchObject({ ok: true, status: "succeeded" });
    expect(Date.now() - clicked).toBeLessThan(30_000);
    expect([...(await versionsOver(demo.url, 10)).keys()]).toEqual([demo.first]);
    const view = await getDeployment(operator, rollback.deploymentId);
    expect(view).toMatchObject({ kind: "rollback", rollbackOf: { id: deploymentId, version: next.version } });
    const hold = await db().environmentHold.findFirstOrThrow({ where: { environmentId: demo.world.env.staging } });
    expect(hold.releaseId).not.toBe(next.id);
    // the hold stops auto-promotion into staging until it is released
    await db().environment.update({ where: { id: demo.world.env.staging }, data: { autoPromote: true } });
    const third = await releaseAt(demo.world, null, [demo.world.env.development]);
    expect(await autoPromote(third.id, demo.world.env.staging)).toBeNull();
    await releaseHold(operator, { environmentKey: "staging", application: "storefront", reason: "fixed in 1.2" });
    expect(await db().environmentHold.count()).toBe(0);
    const actions = (await db().auditEvent.findMany({ where: { action: { startsWith: "environment.hold" } } })).map(
      (e) => e.action,
    );
    expect(actions.sort()).toEqual(["environment.hold", "environment.hold.release"]);
  }, 120_000);
});
