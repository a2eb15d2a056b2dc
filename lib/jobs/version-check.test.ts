import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { ForbiddenError } from "../data/errors";
import { getPipelineOverview } from "../data/pipeline/overview";
import { actorWith } from "../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { resetDatabase } from "../test/reset";
import { runDeployment } from "./deploy-worker";
import { checkUnknownCells, checkWhatRuns } from "./version-check";
import { promoteRelease } from "../data/promotion/promote";

// "What runs there?" against a real target: the demo deploy script starts a real HTTP service
// (lib/deploy/demo/service.mjs) through the command provider; after an interrupted deploy the
// version check runs the same script with GREENLIGHT_ACTION=version, which asks that service
// over HTTP. The answer is recorded so pages show the truth.

const script = path.resolve("lib/deploy/demo/deploy.mjs");
let dataDir: string;
let world: PromotionWorld;

const serviceState = async () =>
  JSON.parse(await readFile(path.join(dataDir, "demo-services", "storefront--staging.json"), "utf8")) as {
    pid: number;
    url: string;
    version: string;
  };

const stop = (pid: number) => {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // gone already
  }
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "greenlight-version-check-"));
});
afterAll(async () => {
  const state = await serviceState().catch(() => null);
  if (state) stop(state.pid);
  await rm(dataDir, { recursive: true, force: true });
});

/** Deploys `before` to staging for real, then records a deploy of `cut` there as interrupted. */
async function interruptedAfterRealDeploy() {
  await resetDatabase();
  world = await insertPromotionWorld({
    deploy: {
      command: process.execPath,
      args: [script],
      env: { GREENLIGHT_DATA_DIR: dataDir },
      version: { args: [script] },
    },
  });
  await db().checklistItem.deleteMany();
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  const before = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: before.id, environmentKey: "staging" });
  const result = await runDeployment(deploymentId);
  expect(result).toMatchObject({ ok: true });
  const cut = await releaseAt(world, null, [world.env.development]);
  const interrupted = await db().deployment.create({
    data: {
      releaseId: cut.id,
      applicationId: world.applicationId,
      environmentId: world.env.staging,
      status: "FAILED",
      failureReason: "Interrupted",
      queuedAt: new Date(),
      startedAt: new Date(),
      finishedAt: new Date(),
      interruptedAt: new Date(),
    },
  });
  return { before, cut, interruptedId: interrupted.id };
}

const stagingCell = async () => {
  const overview = await getPipelineOverview(world.developer);
  return overview.pipeline.rows[0]!.cells[overview.pipeline.environmentIds.indexOf(world.env.staging)]!;
};

describe("checking what runs after an interrupted deploy", () => {
  beforeEach(async () => {
    const state = await serviceState().catch(() => null);
    if (state) stop(state.pid);
  });

  it("asks the real service, records what it serves, and the board shows it again", async () => {
    const { before } = await interruptedAfterRealDeploy();
    expect((await stagingCell()).state).toBe("unknown");
    const { url } = await serviceState();
    // the service really says so over HTTP
    expect(await (await fetch(`${url}healthz`)).json()).toMatchObject({ version: before.version });

    const result = await checkWhatRuns(world.developer, {
      environmentKey: "staging",
      applicationId: world.applicationId,
    });
    expect(result).toMatchObject({ outcome: "recorded", reported: before.version });
    expect(result.message).toBe(`storefront in Staging reports ${before.version}: recorded as what runs there`);

    const cell = await stagingCell();
    expect(cell.unknown).toBeNull();
    expect(cell.live?.release.id).toBe(before.id);
    const confirmed = await db().deployment.findFirstOrThrow({
      where: { environmentId: world.env.staging, providerRef: "version-check" },
      include: { logLines: true },
    });
    expect(confirmed).toMatchObject({ status: "SUCCEEDED", releaseId: before.id, triggeredById: world.developer.id });
    expect(confirmed.logLines.map((l) => l.line)).toEqual([
      `Confirmed by a version check: storefront in Staging reports ${before.version}. Nothing was deployed.`,
    ]);
    const audited = await db().auditEvent.findFirstOrThrow({ where: { action: "deployment.check" } });
    expect(audited).toMatchObject({
      actorUserId: world.developer.id,
      environmentKey: "staging",
      entityId: confirmed.id,
      after: { outcome: "recorded", reported: before.version, recordedDeploymentId: confirmed.id },
    });

    // asked again, nothing is unknown any more: nothing new is recorded
    const again = await checkWhatRuns(world.developer, {
      environmentKey: "staging",
      applicationId: world.applicationId,
    });
    expect(again.outcome).toBe("unchanged");
    expect(await db().deployment.count({ where: { providerRef: "version-check" } })).toBe(1);
  }, 90_000);

  it("a service that does not answer: nothing is recorded, the state stays unknown, the check is audited", async () => {
    await interruptedAfterRealDeploy();
    const { pid } = await serviceState();
    stop(pid);
    await new Promise((r) => setTimeout(r, 500));
    const result = await checkWhatRuns(world.developer, {
      environmentKey: "staging",
      applicationId: world.applicationId,
    });
    expect(result.outcome).toBe("unanswered");
    expect(result.message).toMatch(/healthz does not answer/);
    expect((await stagingCell()).state).toBe("unknown");
    expect(await db().auditEvent.count({ where: { action: "deployment.check" } })).toBe(1);
  }, 90_000);

  it("the worker asks by itself and records the answer as the system", async () => {
    const { before } = await interruptedAfterRealDeploy();
    const results = await checkUnknownCells();
    expect(results.map((r) => r.outcome)).toEqual(["recorded"]);
    expect((await stagingCell()).live?.release.id).toBe(before.id);
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: "deployment.check" } })).toMatchObject({
      actorLabel: "system",
    });
  }, 90_000);

  it("someone without deploy.trigger there is refused, and the refusal recorded", async () => {
    await interruptedAfterRealDeploy();
    const viewer = await actorWith(["environment.view"], [world.env.staging]);
    await expect(
      checkWhatRuns(viewer, { environmentKey: "staging", applicationId: world.applicationId }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditEvent.count({ where: { action: "authz.denied", actorUserId: viewer.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "deployment.check" } })).toBe(0);
    expect((await stagingCell()).state).toBe("unknown");
  }, 90_000);
});
