import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { promoteRelease } from "../data/promotion/promote";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../test/promotion.fixture";
import { resetDatabase } from "../test/reset";
import { POST as events } from "../../app/api/v1/deployments/[id]/events/route";
import { startDeployWorker, stopDeployWorker } from "./deploy-worker";

// A canary driven through a webhook receiver over real HTTP both ways: Greenlight POSTs each
// step signed per Standard Webhooks; the receiver verifies it with the `standardwebhooks`
// library, answers 202 and reports the outcome later to Greenlight's events endpoint, signed
// with the same library. Greenlight's side of that endpoint is the real route handler behind a
// plain HTTP server.

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const SECRET_VAR = "GL_TEST_WEBHOOK_SECRET_ROLLOUT";

interface StepEvent {
  type: string;
  deployment: { id: string };
  step: { index: number; action: string; trafficPercent: number };
  callbackUrl: string;
}

let greenlight: Server;
let receiver: Server;
let receiverUrl = "";
/** what the receiver does with each verified event; returns the callback it sends, or null */
let behaviour: (
  event: StepEvent,
) => { type: string; step: number; reason?: string; url?: string; previewUrl?: string } | null = () => null;
const seen: StepEvent[] = [];
let refusedByReceiver = 0;

async function sign(url: string, body: object, options: { id?: string; at?: Date; secret?: string } = {}) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const payload = JSON.stringify(body);
  const signature = new Webhook(options.secret ?? SECRET).sign(id, at, payload);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body: payload,
  });
}

const publicUrlBefore = process.env.GREENLIGHT_URL;

beforeAll(async () => {
  process.env[SECRET_VAR] = SECRET;
  // Greenlight's events endpoint: the route handler, over real HTTP
  greenlight = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = /\/api\/v1\/deployments\/([^/]+)\/events$/.exec(req.url ?? "")?.[1] ?? "";
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: "POST",
        headers,
        body: Buffer.concat(chunks),
      });
      void events(request, { params: Promise.resolve({ id }) }).then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" });
        res.end(await response.text());
      });
    });
  });
  await new Promise<void>((r) => greenlight.listen(0, "127.0.0.1", r));
  process.env.GREENLIGHT_URL = `http://127.0.0.1:${(greenlight.address() as AddressInfo).port}`;
  // the receiver: verifies every event with the reference library, answers 202, reports later
  const verifier = new Webhook(SECRET);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let event: StepEvent;
      try {
        event = verifier.verify(raw, req.headers as Record<string, string>) as StepEvent;
      } catch {
        refusedByReceiver++;
        res.writeHead(401).end();
        return;
      }
      seen.push(event);
      res.writeHead(202).end();
      const callback = behaviour(event);
      if (callback) setTimeout(() => void sign(event.callbackUrl, callback), 50);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/deploy`;
});

afterAll(async () => {
  await stopDeployWorker({ graceSeconds: 0 });
  if (publicUrlBefore === undefined) delete process.env.GREENLIGHT_URL;
  else process.env.GREENLIGHT_URL = publicUrlBefore;
  greenlight.closeAllConnections();
  receiver.closeAllConnections();
  await new Promise((r) => greenlight.close(r));
  await new Promise((r) => receiver.close(r));
});

async function webhookWorld(timeoutSeconds = 30): Promise<{ world: PromotionWorld; deploymentId: string }> {
  await resetDatabase();
  const world = await insertPromotionWorld();
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  await db().deployTarget.updateMany({
    data: { provider: "WEBHOOK", config: { url: receiverUrl }, secretEnvVar: SECRET_VAR, timeoutSeconds },
  });
  await db().environment.update({
    where: { id: world.env.staging },
    data: { rolloutStrategy: "CANARY", rolloutSteps: [{ percent: 50, pauseSeconds: 0 }] },
  });
  await releaseAt(world, null, [world.env.development, world.env.staging]);
  const release = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
  return { world, deploymentId };
}

const statusOf = async (id: string) => (await db().deployment.findUniqueOrThrow({ where: { id } })).status;
async function until(id: string, statuses: string[], ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await statusOf(id);
    if (statuses.includes(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a rollout through a webhook receiver", () => {
  beforeEach(async () => {
    seen.length = 0;
    refusedByReceiver = 0;
    await stopDeployWorker({ graceSeconds: 0 });
  });

  it("sends each step signed, waits for the receiver's reports, and succeeds step by step", async () => {
    // the deploy's report says where the release runs; a later one's unusable URL is ignored
    behaviour = (e) =>
      e.step.action === "deploy"
        ? {
            type: "step.succeeded",
            step: e.step.index,
            url: "https://shop.example/",
            previewUrl: "https://green.shop.example/",
          }
        : { type: "step.succeeded", step: e.step.index, url: "javascript:alert(1)" };
    const { deploymentId } = await webhookWorld();
    await startDeployWorker({ reconcileSeconds: 60 });
    expect(await until(deploymentId, ["SUCCEEDED", "FAILED", "ROLLED_BACK"])).toBe("SUCCEEDED");
    expect(await db().deployment.findUniqueOrThrow({ where: { id: deploymentId } })).toMatchObject({
      serviceUrl: "https://shop.example/",
      previewUrl: "https://green.shop.example/",
    });
    expect(refusedByReceiver).toBe(0);
    expect(seen.map((e) => [e.step.action, e.step.index, e.step.trafficPercent])).toEqual([
      ["deploy", -1, 0],
      ["traffic", 0, 50],
      ["traffic", 1, 100],
    ]);
    expect(
      seen.every((e) => e.deployment.id === deploymentId && e.callbackUrl.endsWith(`/${deploymentId}/events`)),
    ).toBe(true);
    const reports = await db().auditEvent.count({ where: { entityId: deploymentId, action: "deployment.report" } });
    expect(reports).toBe(3);
  }, 60_000);

  it("a step the receiver reports failed after traffic moved is rolled back through the receiver too", async () => {
    behaviour = (e) =>
      e.step.action === "traffic" && e.step.trafficPercent === 50
        ? { type: "step.failed", step: e.step.index, reason: "load balancer refused the weight" }
        : { type: "step.succeeded", step: e.step.index };
    const { deploymentId } = await webhookWorld();
    await startDeployWorker({ reconcileSeconds: 60 });
    expect(await until(deploymentId, ["ROLLED_BACK", "FAILED", "SUCCEEDED"])).toBe("ROLLED_BACK");
    expect(seen.map((e) => e.step.action)).toEqual(["deploy", "traffic", "rollback"]);
    const d = await db().deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(d.failureReason).toBe("load balancer refused the weight");
  }, 60_000);

  it("refuses forged, stale and unknown reports, accepts a repeated webhook-id once, and fails a step nobody reports", async () => {
    behaviour = () => null;
    const { deploymentId } = await webhookWorld(2);
    await startDeployWorker({ reconcileSeconds: 60 });
    const url = `${process.env.GREENLIGHT_URL}/api/v1/deployments/${deploymentId}/events`;
    await new Promise((r) => setTimeout(r, 300));
    const forged = await sign(
      url,
      { type: "step.succeeded", step: -1 },
      { secret: `whsec_${randomBytes(24).toString("base64")}` },
    );
    expect(forged.status).toBe(401);
    const old = await sign(url, { type: "step.succeeded", step: -1 }, { at: new Date(Date.now() - 6 * 60_000) });
    expect(old.status).toBe(401);
    expect(((await old.json()) as { message: string }).message).toMatch(/more than 5 minutes old/);
    const unknown = await sign(`${process.env.GREENLIGHT_URL}/api/v1/deployments/${randomUUID()}/events`, {
      type: "progress",
      message: "hello",
    });
    expect(unknown.status).toBe(404);
    const junk = await sign(url, { type: "step.exploded", step: -1 });
    expect(junk.status).toBe(400);
    const progress = { type: "progress", message: "pulling image" };
    expect((await sign(url, progress, { id: "msg_same" })).status).toBe(202);
    expect((await sign(url, progress, { id: "msg_same" })).status).toBe(200);
    const lines = await db().deploymentLogLine.count({ where: { deploymentId, line: "Receiver: pulling image" } });
    expect(lines).toBe(1);
    const refusals = await db().auditEvent.count({
      where: { entityId: deploymentId, action: "deployment.report", after: { path: ["type"], equals: "refused" } },
    });
    expect(refusals).toBe(3);
    // nobody reports the deploy: after the target's timeout (2 s) it fails, with the reason
    expect(await until(deploymentId, ["FAILED", "SUCCEEDED"], 15_000)).toBe("FAILED");
    const d = await db().deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(d.failureReason).toMatch(/did not report the outcome within 2 s/);
  }, 60_000);
});
