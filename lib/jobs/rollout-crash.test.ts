import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { db, pool } from "../db";
import { claimDeployment, resendLostMoves } from "../data/deployments";
import { claimStep, recordMove, rememberProviderRef } from "../data/deployments/rollout";
import { promoteRelease } from "../data/promotion/promote";
import { startFakeGitHub, type FakeGitHub } from "../test/github";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { resetDatabase } from "../test/reset";
import { reconcileOnce, startDeployWorker, stopDeployWorker } from "./deploy-worker";
import { advanceRollout } from "./rollout";

// A worker that dies at each point of a rollout: state lives in the deployment row, so a restart
// (the reconciler, the durable queue) resumes from the recorded step or ends it cleanly; no step
// runs twice, and nothing stays running with nobody driving it. "Dying" is a step claimed and
// never recorded, its heartbeat left to go stale: what a SIGKILL leaves behind.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms: last saw ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

// the command prints each action it runs, so the log says how often each ran
const COUNTING = {
  command: "node",
  args: ["-e", "console.log(`ran ${process.env.GREENLIGHT_ACTION} ${process.env.GREENLIGHT_TRAFFIC_PERCENT}`)"],
};

const row = (id: string) => db().deployment.findUniqueOrThrow({ where: { id } });
const ran = async (id: string) =>
  (
    await db().deploymentLogLine.findMany({ where: { deploymentId: id, stream: "STDOUT" }, orderBy: { id: "asc" } })
  ).map((l) => l.line);
const stale = (id: string) =>
  db().deployment.update({ where: { id }, data: { heartbeatAt: new Date(Date.now() - 3_600_000) } });

async function canaryWorld(
  deploy: object = COUNTING,
  rolloutSteps = [{ percent: 50, pauseSeconds: 0 }],
): Promise<{ world: PromotionWorld; deploymentId: string }> {
  await resetDatabase();
  const world = await insertPromotionWorld({ deploy });
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  await db().environment.update({
    where: { id: world.env.staging },
    data: { rolloutStrategy: "CANARY", rolloutSteps },
  });
  // something ran in staging before: a rollback has a release to go back to
  await releaseAt(world, null, [world.env.development, world.env.staging]);
  const release = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
  expect(await claimDeployment(deploymentId)).not.toBeNull();
  return { world, deploymentId };
}

/** Drives the rollout by hand to the move that claims `version` and dies there (claimed, never recorded). */
async function dieAt(deploymentId: string, phase: "deploy" | "shift" | "analyse") {
  let version = 0;
  if (phase !== "deploy") {
    const deploy = await claimStep(deploymentId, version);
    await recordMove(deploy!, { to: "shift", step: 0 });
    version = deploy!.stepVersion + 1;
  }
  if (phase === "analyse") {
    const shift = await claimStep(deploymentId, version);
    // a long pause: the next health round is due in ten minutes
    await recordMove(shift!, { to: "analyse", step: 0, endsAt: new Date(Date.now() + 600_000) });
    version = shift!.stepVersion + 1;
    return version;
  }
  const dying = await claimStep(deploymentId, version);
  expect(dying?.inFlight).toBe(true);
  await stale(deploymentId);
  return dying!.stepVersion;
}

let github: FakeGitHub | null = null;
afterAll(async () => {
  await stopDeployWorker({ graceSeconds: 0 });
  await github?.close();
});

describe("a worker that dies mid-rollout", () => {
  beforeEach(() => stopDeployWorker({ graceSeconds: 0 }));

  it("while deploying to the idle colour: the deploy is failed as interrupted and never run again", async () => {
    const { deploymentId } = await canaryWorld();
    await dieAt(deploymentId, "deploy");
    const { failed } = await reconcileOnce({ staleSeconds: 30 });
    expect(failed).toEqual([deploymentId]);
    const done = await row(deploymentId);
    expect(done).toMatchObject({ status: "FAILED", phase: "DONE", inFlight: false });
    expect(done.failureReason).toMatch(/^Interrupted/);
    expect(await ran(deploymentId)).toEqual([]);
    // a second reconcile finds nothing to do
    expect((await reconcileOnce({ staleSeconds: 30 })).failed).toEqual([]);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { entityId: deploymentId, action: "deployment.fail" },
    });
    expect(audit.after).toMatchObject({ interrupted: true });
  });

  it("while moving traffic: the traffic is put back (rollback) by the next worker, the shift never repeated", async () => {
    const { deploymentId } = await canaryWorld();
    await dieAt(deploymentId, "shift");
    await reconcileOnce({ staleSeconds: 30 });
    expect(await row(deploymentId)).toMatchObject({ status: "ROLLING_BACK", phase: "ROLLBACK" });
    await startDeployWorker({ reconcileSeconds: 60 });
    await until(
      "rolled back",
      async () => (await row(deploymentId)).status,
      (s) => s === "ROLLED_BACK",
    );
    // the deploy never ran (died before it in this test's drive), the shift never, the rollback once
    expect(await ran(deploymentId)).toEqual(["ran rollback 0"]);
  });

  it("between health rounds: nothing was in flight, so the queued move resumes the rollout after the restart", async () => {
    const { deploymentId } = await canaryWorld();
    const version = await dieAt(deploymentId, "analyse");
    await stale(deploymentId);
    expect(await reconcileOnce({ staleSeconds: 30 })).toMatchObject({ failed: [], resumed: [] });
    // the restarted worker takes the move the dead one had queued (its job is in the durable queue)
    expect(await advanceRollout(deploymentId, version)).toBe("running");
    await db().deployment.update({ where: { id: deploymentId }, data: { skipPauses: true } });
    const current = await row(deploymentId);
    expect(await advanceRollout(deploymentId, current.stepVersion)).toBe("succeeded");
    expect(await ran(deploymentId)).toEqual(["ran traffic 100"]);
    // the move the dead worker had claimed can never run again
    expect(await advanceRollout(deploymentId, version)).toBeNull();
  });

  it("while following a GitHub Actions run: the next worker follows the same run, never dispatching a second", async () => {
    github = await startFakeGitHub();
    process.env.GL_TEST_GITHUB_TOKEN_ROLLOUT = github.token;
    const { deploymentId } = await canaryWorld(COUNTING);
    await db().deployTarget.updateMany({
      data: {
        provider: "GITHUB_ACTIONS",
        config: {
          owner: "acme",
          repo: "storefront",
          workflow: "deploy.yml",
          ref: "main",
          baseUrl: github.baseUrl,
          pollSeconds: 2,
        },
        secretEnvVar: "GL_TEST_GITHUB_TOKEN_ROLLOUT",
      },
    });
    // the dead worker had dispatched run 777 and remembered it, then died while following it
    const dying = await claimStep(deploymentId, 0);
    await rememberProviderRef(dying!, "777");
    github.runs.push({
      id: 777,
      owner: "acme",
      repo: "storefront",
      workflow: "deploy.yml",
      inputs: { greenlight_deployment_id: deploymentId, step: "-1" },
      statuses: ["in_progress", "completed"],
      conclusion: "success",
      hiddenFor: 0,
      createdAt: new Date().toISOString(),
      reads: 0,
    });
    await stale(deploymentId);
    const { resumed } = await reconcileOnce({ staleSeconds: 30 });
    expect(resumed).toEqual([deploymentId]);
    const current = await row(deploymentId);
    // the resumed move: follows run 777 to its success, then the traffic step dispatches its own run
    github.plan = { statuses: ["completed"], conclusion: "success", hiddenFor: 0 };
    expect(await advanceRollout(deploymentId, current.stepVersion)).toBe("succeeded");
    const deploys = github.dispatches.filter((d) => (d.body.inputs as Record<string, string>).action === "deploy");
    expect(deploys).toHaveLength(0);
    const log = (await db().deploymentLogLine.findMany({ where: { deploymentId }, orderBy: { id: "asc" } })).map(
      (l) => l.line,
    );
    expect(log.some((l) => /Resuming: following 777/.test(l))).toBe(true);
  }, 60_000);
});

// The queue lost a rollout's next move (its pg-boss job deleted, expired, failed, or fetched by a
// worker that died before claiming it): the deployment row still says which move is next and
// when it was due (nextMoveAt), so the reconciler sends that move's job again, once.

/** The jobs waiting or running for the deployment's move at `version`. */
const jobsOf = async (deploymentId: string, version: number, queue = "rollout") =>
  db().$queryRaw<{ id: string; state: string }[]>`
    select id::text, state::text from pgboss.job
    where name = ${queue} and singleton_key = ${`${deploymentId}:${version}`} and state < 'completed'`;

/** A canary at 50 % watching its health through a ten-minute pause; its next round's job waits in the queue. */
async function pausedAt50(): Promise<{ deploymentId: string; version: number }> {
  const { deploymentId } = await canaryWorld(COUNTING, [{ percent: 50, pauseSeconds: 600 }]);
  // deploy → 50 % → a first health round; no timer for the next one (as if the process stopped)
  expect(await advanceRollout(deploymentId, 0, { stopping: () => true })).toBe("running");
  const d = await row(deploymentId);
  expect(d).toMatchObject({ status: "RUNNING", phase: "ANALYSE", trafficPercent: 50, inFlight: false });
  expect(await jobsOf(deploymentId, d.stepVersion)).toHaveLength(1);
  return { deploymentId, version: d.stepVersion };
}

/** An hour goes by: the pause is over and the move was due long ago. */
const anHourLater = (id: string) =>
  db().deployment.update({
    where: { id },
    data: { stepEndsAt: new Date(Date.now() - 3_600_000), nextMoveAt: new Date(Date.now() - 3_600_000) },
  });

async function finishesWithEachStepOnce(deploymentId: string) {
  await startDeployWorker({ reconcileSeconds: 60 });
  await until(
    "succeeded",
    async () => (await row(deploymentId)).status,
    (s) => s === "SUCCEEDED",
  );
  // each provider call once: the deploy, 50 %, 100 %
  expect(await ran(deploymentId)).toEqual(["ran deploy 0", "ran traffic 50", "ran traffic 100"]);
  // the deploy and its smoke check share index -1 (no HTTP checks here: the smoke check is skipped)
  const steps = await db().deploymentStep.findMany({
    where: { deploymentId },
    orderBy: [{ index: "asc" }, { action: "asc" }],
  });
  expect(steps.map((s) => [s.action, s.index, s.trafficPercent, s.status])).toEqual([
    ["deploy", -1, 0, "succeeded"],
    ["smoke", -1, 0, "skipped"],
    ["traffic", 0, 50, "succeeded"],
    ["traffic", 1, 100, "succeeded"],
  ]);
  expect(await row(deploymentId)).toMatchObject({ trafficPercent: 100, inFlight: false, nextMoveAt: null });
}

describe("a rollout whose next job was lost", () => {
  beforeEach(() => stopDeployWorker({ graceSeconds: 0 }));

  for (const lose of ["deleted", "failed"] as const)
    it(`during a pause, its job ${lose}: the reconciler sends the recorded move again and the rollout completes`, async () => {
      const { deploymentId, version } = await pausedAt50();
      if (lose === "deleted")
        await db()
          .$executeRaw`delete from pgboss.job where name = 'rollout' and singleton_key = ${`${deploymentId}:${version}`}`;
      else
        await db().$executeRaw`update pgboss.job set state = 'failed', completed_on = now(),
            output = '{"message": "connection terminated"}'::jsonb
          where name = 'rollout' and singleton_key = ${`${deploymentId}:${version}`}`;
      expect(await jobsOf(deploymentId, version)).toHaveLength(0);
      // before its due time has long passed, nothing is resent
      expect((await reconcileOnce({ staleSeconds: 30 })).resent).toEqual([]);
      await anHourLater(deploymentId);
      expect((await reconcileOnce({ staleSeconds: 30 })).resent).toEqual([deploymentId]);
      expect(await jobsOf(deploymentId, version)).toHaveLength(1);
      // the resend made the row fresh: the next reconcile leaves it alone
      expect((await reconcileOnce({ staleSeconds: 30 })).resent).toEqual([]);
      expect(await jobsOf(deploymentId, version)).toHaveLength(1);
      await finishesWithEachStepOnce(deploymentId);
      const log = (await db().deploymentLogLine.findMany({ where: { deploymentId }, orderBy: { id: "asc" } })).map(
        (l) => l.line,
      );
      expect(log.filter((l) => /Nothing drove this rollout/.test(l))).toHaveLength(1);
    });

  it("claimed, then its worker died before the first move: the deploy job failed, the first move is sent", async () => {
    // canaryWorld claimed it (queued → running) the way the deploy job's worker does; that worker died
    const { deploymentId } = await canaryWorld();
    const d = await row(deploymentId);
    expect(d).toMatchObject({ status: "RUNNING", phase: "DEPLOY", stepVersion: 0, inFlight: false });
    await db().$executeRaw`update pgboss.job set state = 'failed', completed_on = now()
      where name = 'deploy' and singleton_key = ${deploymentId}`;
    expect(await jobsOf(deploymentId, 0)).toHaveLength(0);
    await db().deployment.update({ where: { id: deploymentId }, data: { nextMoveAt: new Date(Date.now() - 60_000) } });
    expect((await reconcileOnce({ staleSeconds: 30 })).resent).toEqual([deploymentId]);
    expect(await jobsOf(deploymentId, 0)).toHaveLength(1);
    await finishesWithEachStepOnce(deploymentId);
  });

  it("its worker died during a health round (nothing in flight): the round is sent again under the claimed version", async () => {
    const { deploymentId, version } = await pausedAt50();
    // a worker fetched the job and claimed the round, then died: the job stays active, nothing records the round
    await db().$executeRaw`update pgboss.job set state = 'active', started_on = now()
      where name = 'rollout' and singleton_key = ${`${deploymentId}:${version}`}`;
    const claimed = await claimStep(deploymentId, version);
    expect(claimed).toMatchObject({ phase: "analyse", inFlight: false });
    // within the round's bound the claim holds
    expect((await reconcileOnce({ staleSeconds: 30 })).resent).toEqual([]);
    await anHourLater(deploymentId);
    expect(await reconcileOnce({ staleSeconds: 30 })).toMatchObject({
      failed: [],
      resumed: [],
      resent: [deploymentId],
    });
    expect(await jobsOf(deploymentId, claimed!.stepVersion)).toHaveLength(1);
    await finishesWithEachStepOnce(deploymentId);
  });

  // the embedded database serves one connection: two transactions never overlap there
  it.skipIf(inject("embeddedDatabase"))("two reconcilers at once send the lost move once", async () => {
    const { deploymentId, version } = await pausedAt50();
    await db()
      .$executeRaw`delete from pgboss.job where name = 'rollout' and singleton_key = ${`${deploymentId}:${version}`}`;
    await anHourLater(deploymentId);
    // hold the row so that both reconcilers reach it and wait for it together
    const holder = await pool().connect();
    try {
      await holder.query("begin");
      await holder.query(`select 1 from "Deployment" where id = $1 for update`, [deploymentId]);
      const both = Promise.all([resendLostMoves(30), resendLostMoves(30)]);
      await until(
        "both reconcilers waiting for the row",
        async () =>
          // asked outside the holder's transaction, which would see one snapshot of the statistics
          (
            await db().$queryRaw<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'
                and query like '%update "Deployment" set "nextMoveAt"%'`
          )[0]!.n,
        (n) => n >= 2,
        10_000,
      );
      await holder.query("commit");
      const [a, b] = await both;
      expect([...a, ...b]).toEqual([deploymentId]);
    } finally {
      holder.release();
    }
    expect(await jobsOf(deploymentId, version)).toHaveLength(1);
    await finishesWithEachStepOnce(deploymentId);
  });
});
