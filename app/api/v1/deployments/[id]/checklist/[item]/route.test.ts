import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Permission } from "@/lib/domain/permissions";
import { promoteRelease } from "@/lib/data/promotion/promote";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "@/lib/test/promotion.fixture";
import { resetDatabase } from "@/lib/test/reset";
import { insertToken } from "@/lib/test/tokens";
import { GET } from "../../route";
import { PUT } from "./route";

// The deployment checklist route with real requests and real tokens: CI ticks a "during" item
// of a running deployment as people do on its page; statuses, bodies and refusals over HTTP.
// The rules themselves are the operation's (lib/data/deployments/checklist.test.ts).

const NOBODY = "01234567-89ab-7cde-8f01-23456789abcd";
let world: PromotionWorld;

beforeEach(async () => {
  await resetDatabase();
  world = await insertPromotionWorld();
  // staging gains one item for during and one for after, as in checklist.test.ts
  const template = await db().checklistTemplate.findUniqueOrThrow({ where: { environmentId: world.env.staging } });
  await db().checklistTemplateItem.updateMany({ data: { required: false } });
  await db().checklistTemplateItem.createMany({
    data: [
      { templateId: template.id, position: 3, section: "Deployment", phase: "DURING", label: "Run smoke tests" },
      {
        templateId: template.id,
        position: 4,
        section: "Post-deployment",
        phase: "AFTER",
        label: "Notify stakeholders",
      },
    ],
  });
});

/** A release promoted to staging, its deployment running: its during and after items. */
async function runningInStaging() {
  const release = await releaseAt(world, null, [world.env.development]);
  const { deploymentId } = await promoteRelease(world.developer, { releaseId: release.id, environmentKey: "staging" });
  await db().deployment.update({ where: { id: deploymentId }, data: { status: "RUNNING", startedAt: new Date() } });
  const items = await db().deploymentChecklistItem.findMany({ where: { deploymentId } });
  return {
    deploymentId,
    during: items.find((i) => i.phase === "DURING")!,
    after: items.find((i) => i.phase === "AFTER")!,
  };
}

const token = (permissions: Permission[]) => insertToken(permissions, { name: "ci-main" });

const tick = (id: string, item: string, bearer: string, body: unknown) =>
  PUT(
    new Request(`http://localhost/api/v1/deployments/${id}/checklist/${item}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id, item }) },
  );

const read = (id: string, bearer: string) =>
  GET(new Request(`http://localhost/api/v1/deployments/${id}`, { headers: { authorization: `Bearer ${bearer}` } }), {
    params: Promise.resolve({ id }),
  });

interface Answer {
  item: { id: string; phase: string; label: string; checked: boolean; checkedAt: string | null; note: string | null };
  changed: boolean;
}

describe("PUT /api/v1/deployments/{id}/checklist/{item}", () => {
  it("ticks a during item of a running deployment, audited and logged; a repeat changes nothing", async () => {
    const { deploymentId, during } = await runningInStaging();
    const ci = await token(["environment.view", "checklist.tick"]);

    const first = await tick(deploymentId, during.id, ci, { checked: true, note: "all green" });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const body = (await first.json()) as Answer;
    expect(body).toMatchObject({
      item: { id: during.id, phase: "during", label: "Run smoke tests", checked: true, note: "all green" },
      changed: true,
    });
    expect(new Date(body.item.checkedAt!).toISOString()).toBe(body.item.checkedAt);

    const events = await db().auditEvent.findMany({ where: { action: "deployment.checklist.tick" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityId: during.id,
      environmentId: world.env.staging,
      actorLabel: "token ci-main",
    });
    const log = await db().deploymentLogLine.findMany({ where: { deploymentId }, select: { line: true } });
    expect(log.map((l) => l.line)).toContain(
      "Ticked “Run smoke tests” (during the deployment) by token ci-main: all green",
    );

    const repeat = await tick(deploymentId, during.id, ci, { checked: true });
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toEqual({ item: body.item, changed: false });
    expect(await db().auditEvent.count({ where: { action: "deployment.checklist.tick" } })).toBe(1);

    // the deployment as GET answers it shows the tick and who made it
    const deployment = (await (await read(deploymentId, ci)).json()) as {
      checklist: Record<"during" | "after", { closed: string | null; items: Record<string, unknown>[] }>;
    };
    expect(deployment.checklist.during).toEqual({
      closed: null,
      items: [
        {
          id: during.id,
          section: "Deployment",
          label: "Run smoke tests",
          checked: true,
          checkedBy: "token ci-main",
          checkedAt: body.item.checkedAt,
          note: "all green",
        },
      ],
    });
    expect(deployment.checklist.after.closed).toMatch(/still under way/);
    expect(deployment.checklist.after.items).toMatchObject([{ label: "Notify stakeholders", checked: false }]);
  });

  it("answers 409 with the reason for an after item while the deployment runs", async () => {
    const { deploymentId, after } = await runningInStaging();
    const refused = await tick(deploymentId, after.id, await token(["environment.view", "checklist.tick"]), {
      checked: true,
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /“Notify stakeholders” cannot be ticked or unticked now\. The deployment is still under way/,
    );
    expect(await db().deploymentChecklistItem.findUniqueOrThrow({ where: { id: after.id } })).toMatchObject({
      checkedAt: null,
    });
  });

  it("refuses: 401 for an unknown token, 403 without checklist.tick, 404 for unknown or malformed ids and another deployment's item", async () => {
    const { deploymentId, during } = await runningInStaging();
    const other = await runningInStaging();
    const ci = await token(["environment.view", "checklist.tick"]);
    const body = { checked: true };

    // a made-up token (no session outside a request here: e2e/api.spec.ts asks without a caller)
    const unknown = await tick(deploymentId, during.id, "glt_made-up", body);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toBe('Bearer realm="greenlight"');
    expect(
      (await tick(deploymentId, during.id, await token(["environment.view", "deploy.trigger"]), body)).status,
    ).toBe(403);
    expect((await tick(NOBODY, during.id, ci, body)).status).toBe(404);
    expect((await tick("not-an-id", during.id, ci, body)).status).toBe(404);
    expect((await tick(deploymentId, "not-an-id", ci, body)).status).toBe(404);
    expect((await tick(deploymentId, NOBODY, ci, body)).status).toBe(404);
    expect((await tick(deploymentId, other.during.id, ci, body)).status).toBe(404);
    expect(await db().deploymentChecklistItem.count({ where: { checkedAt: { not: null } } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "deployment.checklist.tick" } })).toBe(0);
  });

  it("answers 422 for a body that is not { checked, note? }", async () => {
    const { deploymentId, during } = await runningInStaging();
    const ci = await token(["environment.view", "checklist.tick"]);
    const notBoolean = await tick(deploymentId, during.id, ci, { checked: "yes" });
    expect(notBoolean.status).toBe(422);
    expect(((await notBoolean.json()) as { fieldErrors: object }).fieldErrors).toHaveProperty("checked");
    expect((await tick(deploymentId, during.id, ci, { checked: true, by: "ci" })).status).toBe(422);
    expect((await tick(deploymentId, during.id, ci, { checked: true, note: "x".repeat(501) })).status).toBe(422);
    expect((await tick(deploymentId, during.id, ci, {})).status).toBe(422);
    expect(await db().deploymentChecklistItem.count({ where: { checkedAt: { not: null } } })).toBe(0);
  });
});
