import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../test/reset";
import { decideApproval, withdrawApproval } from "./approvals";
import { tickChecklistItem } from "./tick";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { promoteRelease } from "./promote";
import { getPromotion } from "./view";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";

// Approvals, checklist ticks and promotion against a real database: what the gates say, what
// the server refuses and why, and that every change leaves its audit row.

const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
const audits = (action: string) => db().auditEvent.count({ where: { action } });

describe("promotion", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld({ approvers: 3 });
  });

  it("shows the next environment's gates and opens them one by one", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development]);
    let view = await getPromotion(world.qa, release.id);
    expect(view?.environment.key).toBe("staging");
    expect(view?.gates.filter((g) => !g.passed).map((g) => g.key)).toEqual(["checklist"]);
    expect(view?.checklist.map((i) => i.label)).toEqual([
      "Smoke tests pass",
      "Regression suite green",
      "Screenshots attached",
    ]);

    for (const item of view!.checklist.filter((i) => i.required))
      await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: item.id,
        checked: true,
      });
    view = await getPromotion(world.developer, release.id);
    expect(view?.passed).toBe(true);
    expect(view?.checklist.filter((i) => i.checked).every((i) => i.checkedBy === world.qa.name)).toBe(true);
    expect(await audits("checklist.item.tick")).toBe(2);
  });

  it("a 'while it runs there' checklist gates the next promotion, not the entry, and is copied when the release arrives", async () => {
    await db().checklistTemplate.update({
      where: { environmentId: world.env.staging },
      data: { timing: "BEFORE_EXIT" },
    });
    const waiting = await releaseAt(world, null, [world.env.development]);
    // entering staging: nothing to tick
    expect((await getPromotion(world.qa, waiting.id))?.gates.every((g) => g.passed)).toBe(true);

    const [a, b] = world.approvers as [typeof world.qa, typeof world.qa];
    const inStaging = await releaseAt(world, null, [world.env.development, world.env.staging]);
    for (const approver of [a, b])
      await decideApproval(approver, { releaseId: inStaging.id, environmentKey: "production", decision: "approved" });
    let view = (await getPromotion(world.developer, inStaging.id))!;
    expect(view.environment.key).toBe("production");
    expect(view.gates.filter((g) => !g.passed).map((g) => g.key)).toEqual(["checklist"]);
    expect(new Set(view.checklist.map((i) => i.environmentKey))).toEqual(new Set(["staging"]));
    // QA ticks staging's items (its permission is in staging) and production opens
    for (const item of view.checklist.filter((i) => i.required))
      await tickChecklistItem(world.qa, {
        releaseId: inStaging.id,
        environmentKey: "staging",
        itemId: item.id,
        checked: true,
      });
    view = (await getPromotion(world.developer, inStaging.id))!;
    expect(view.passed).toBe(true);
    expect(view.checklist.every((i) => i.copied)).toBe(true);
  });

  it("ticks idempotently, unticks, and refuses unknown items and people without checklist.tick", async () => {
    const release = await releaseAt(world, null, [world.env.development]);
    const [item] = (await getPromotion(world.qa, release.id))!.checklist;
    const tick = {
      releaseId: release.id,
      environmentKey: "staging",
      itemId: item!.id,
      checked: true,
      note: "ok on 3 browsers",
    };
    const first = await tickChecklistItem(world.qa, tick);
    const second = await tickChecklistItem(world.qa, tick);
    expect([first.changed, second.changed]).toEqual([true, false]);
    expect(await audits("checklist.item.tick")).toBe(1);
    await tickChecklistItem(world.qa, { ...tick, checked: false });
    expect(await audits("checklist.item.untick")).toBe(1);
    await expect(tickChecklistItem(world.qa, { ...tick, itemId: crypto.randomUUID() })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(tickChecklistItem(world.developer, tick)).rejects.toBeInstanceOf(ForbiddenError);
    // QA may tick in staging only
    await expect(tickChecklistItem(world.qa, { ...tick, environmentKey: "production" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("counts approvals by allowed people, never the author's own, and lets a rejection block until withdrawn", async () => {
    const [a, b, c] = world.approvers as [typeof world.qa, typeof world.qa, typeof world.qa];
    const release = await releaseAt(world, a.id, [world.env.development, world.env.staging]);
    const target = { releaseId: release.id, environmentKey: "production" };

    await expect(decideApproval(a, { ...target, decision: "approved" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideApproval(b, { ...target, decision: "rejected", comment: "  " })).rejects.toMatchObject({
      fieldErrors: { comment: ["Say why you reject this release"] },
    });
    await decideApproval(b, { ...target, decision: "approved" });
    await decideApproval(c, { ...target, decision: "rejected", comment: "Breaks checkout on Safari" });
    let view = await getPromotion(b, release.id);
    expect(view?.gates.filter((g) => !g.passed).map((g) => g.detail)).toEqual([
      "1 of 2 approvals (" + b.name + ")",
      `Rejected by ${c.name}; blocks until withdrawn`,
    ]);
    await expect(promoteRelease(world.developer, target)).rejects.toThrow(
      /Approvals: 1 of 2 approvals.*No rejection: Rejected by/,
    );

    await withdrawApproval(c, target);
    await decideApproval(c, { ...target, decision: "approved", comment: "Fixed in this build" });
    view = await getPromotion(b, release.id);
    expect(view?.passed).toBe(true);
    expect(view?.decisions.map((d) => [d.userName, d.decision, d.counts])).toEqual([
      [b.name, "approved", true],
      [c.name, "approved", true],
    ]);
    expect(await audits("release.approve")).toBe(2);
    expect(await audits("release.reject")).toBe(1);
    expect(await audits("release.decision.withdraw")).toBe(1);
  });

  it("promotes when every gate passes, then freezes decisions; refuses a second promotion", async () => {
    const [a, b] = world.approvers as [typeof world.qa, typeof world.qa];
    const release = await releaseAt(world, world.developer.id, [world.env.development, world.env.staging]);
    const target = { releaseId: release.id, environmentKey: "production" };
    for (const approver of [a, b]) await decideApproval(approver, { ...target, decision: "approved" });

    const promoted = await promoteRelease(world.developer, target);
    const deployment = await db().deployment.findUniqueOrThrow({ where: { id: promoted.deploymentId } });
    expect(deployment.status).toBe("QUEUED");
    expect(deployment.triggeredById).toBe(world.developer.id);
    await expect(promoteRelease(world.developer, target)).rejects.toThrow(/already being deployed to Production/);
    await expect(withdrawApproval(a, target)).rejects.toThrow(/promotion to Production has started/);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "deployment.promote" } });
    expect(event.entityId).toBe(promoted.deploymentId);
    expect((event.after as { gates: { passed: boolean }[] }).gates.every((g) => g.passed)).toBe(true);
  });

  it("during a freeze only a manager promotes, and only with a reason, which is recorded", async () => {
    await db().freezeWindow.create({
      data: {
        environmentId: world.env.staging,
        kind: "ONE_OFF",
        reason: "Black Friday",
        timeZone: "Europe/Paris",
        startsAt: new Date(Date.now() - 3_600_000),
        endsAt: new Date(Date.now() + 3_600_000),
      },
    });
    const release = await releaseAt(world, null, [world.env.development]);
    const view = (await getPromotion(world.qa, release.id))!;
    for (const item of view.checklist)
      await tickChecklistItem(world.qa, {
        releaseId: release.id,
        environmentKey: "staging",
        itemId: item.id,
        checked: true,
      });
    const target = { releaseId: release.id, environmentKey: "staging" };

    await expect(promoteRelease(world.developer, target)).rejects.toThrow(/No freeze: Frozen until .*Black Friday/);
    await expect(promoteRelease(world.developer, { ...target, overrideReason: "hotfix" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(promoteRelease(world.manager, target)).rejects.toThrow(/give a reason for the override/);
    const done = await promoteRelease(world.manager, { ...target, overrideReason: "Payment outage hotfix" });
    expect(done.overridden).toBe(true);
    const deployment = await db().deployment.findUniqueOrThrow({ where: { id: done.deploymentId } });
    expect(deployment.overrideReason).toBe("Payment outage hotfix");
    expect(await audits("freeze.override")).toBe(1);
  });

  it("refuses bad input with field messages and unknown targets with 404, changing nothing", async () => {
    const release = await releaseAt(world, null, []);
    await expect(
      promoteRelease(world.developer, { releaseId: "nope", environmentKey: "development" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      promoteRelease(world.developer, { releaseId: release.id, environmentKey: "moon" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      promoteRelease(world.developer, { releaseId: crypto.randomUUID(), environmentKey: "development" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await db().deployment.count()).toBe(0);
  });

  it("auto-promotes a new release into a first stage that promotes automatically, and not where a gate waits", async () => {
    await db().environment.updateMany({ data: { autoPromote: true } });
    const { createRelease } = await import("../releases/create");
    const { release } = await createRelease(world.developer, {
      application: "storefront",
      version: "3.0.0",
      commitSha: "abcdef1",
      title: "Auto",
      changelog: "",
    });
    const [deployment] = await db().deployment.findMany({ where: { releaseId: release.id } });
    expect(deployment).toMatchObject({ environmentId: world.env.development, status: "QUEUED", triggeredById: null });
    expect(await audits("deployment.auto_promote")).toBe(1);

    // a second release while the first still deploys there: it waits its turn, it is not dropped
    const second = await createRelease(world.developer, {
      application: "storefront",
      version: "3.0.1",
      commitSha: "abcdef2",
      title: "Auto, queued",
      changelog: "",
    });
    const [waiting] = await db().deployment.findMany({ where: { releaseId: second.release.id } });
    expect(waiting).toMatchObject({ environmentId: world.env.development, status: "QUEUED" });
    expect(await audits("deployment.auto_promote")).toBe(2);
    // where the environment refuses a second promotion, the release waits for a person instead
    await db().environment.update({ where: { id: world.env.development }, data: { deployQueuePolicy: "REFUSE" } });
    const third = await createRelease(world.developer, {
      application: "storefront",
      version: "3.0.2",
      commitSha: "abcdef3",
      title: "Auto, refused",
      changelog: "",
    });
    expect(await db().deployment.count({ where: { releaseId: third.release.id } })).toBe(0);

    // staging waits for its checklist: no automatic promotion even though it is switched on
    const { autoPromote } = await import("./auto-promote");
    const staged = await releaseAt(world, null, [world.env.development]);
    expect(await autoPromote(staged.id, world.env.staging)).toBeNull();
  });

  describe("concurrency", () => {
    it("20 concurrent promotions of one release make exactly one deployment; the rest get 409", async () => {
      const release = await releaseAt(world, null, []);
      const outcomes = await settled(
        Array.from({ length: 20 }, () =>
          promoteRelease(world.developer, { releaseId: release.id, environmentKey: "development" }),
        ),
      );
      const ok = outcomes.filter((o) => o.status === "fulfilled");
      const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(19);
      expect(refused.every((e) => e instanceof ConflictError && /already being deployed/.test(e.message))).toBe(true);
      expect(await db().deployment.count({ where: { releaseId: release.id } })).toBe(1);
      expect(await audits("deployment.promote")).toBe(1);
    });

    it("two releases racing into an environment that refuses a second: one deploys, the other is told to wait", async () => {
      await db().environment.update({ where: { id: world.env.development }, data: { deployQueuePolicy: "REFUSE" } });
      const [r1, r2] = [await releaseAt(world, null, []), await releaseAt(world, null, [])];
      const outcomes = await settled(
        [r1, r2].map((r) => promoteRelease(world.developer, { releaseId: r.id, environmentKey: "development" })),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
      expect(refused[0]).toBeInstanceOf(ConflictError);
      expect(refused[0]?.message).toMatch(/takes one promotion at a time/);
      expect(await db().deployment.count({ where: { environmentId: world.env.development } })).toBe(1);
    });

    it("releases racing into a queueing environment: one goes now, the others wait their turn oldest first, with no job yet", async () => {
      const releases = [
        await releaseAt(world, null, []),
        await releaseAt(world, null, []),
        await releaseAt(world, null, []),
      ];
      const outcomes = await settled(
        releases.map((r) => promoteRelease(world.developer, { releaseId: r.id, environmentKey: "development" })),
      );
      const results = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
      expect(results).toHaveLength(3);
      expect(results.filter((r) => !r.queued)).toHaveLength(1);
      expect(results.filter((r) => r.queued)).toHaveLength(2);
      // only the one that goes now has a deploy job; the others get theirs when it finishes
      const jobs = await db().$queryRaw<{ key: string }[]>`
        select singleton_key as key from pgboss.job where name = 'deploy'
          and singleton_key = any(${results.map((r) => r.deploymentId)}::text[])`;
      expect(jobs.map((j) => j.key)).toEqual([results.find((r) => !r.queued)!.deploymentId]);
    });

    it("in a newest-wins environment a promotion cancels the queued ones, with the reason, audited", async () => {
      await db().environment.update({ where: { id: world.env.development }, data: { deployQueuePolicy: "REPLACE" } });
      const [r1, r2, r3] = [
        await releaseAt(world, null, []),
        await releaseAt(world, null, []),
        await releaseAt(world, null, []),
      ];
      const first = await promoteRelease(world.developer, { releaseId: r1.id, environmentKey: "development" });
      const second = await promoteRelease(world.developer, { releaseId: r2.id, environmentKey: "development" });
      const third = await promoteRelease(world.developer, { releaseId: r3.id, environmentKey: "development" });
      expect([first.queued, second.queued, third.queued]).toEqual([false, true, true]);
      const rows = await db().deployment.findMany({
        where: { id: { in: [first.deploymentId, second.deploymentId, third.deploymentId] } },
        select: { id: true, status: true, failureReason: true },
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(first.deploymentId)?.status).toBe("QUEUED");
      expect(byId.get(second.deploymentId)).toMatchObject({ status: "CANCELLED" });
      expect(byId.get(second.deploymentId)?.failureReason).toMatch(/Superseded by .*newest promotion wins/);
      expect(byId.get(third.deploymentId)?.status).toBe("QUEUED");
      expect(await audits("deployment.cancel")).toBe(1);
    });

    it("20 distinct approvers at once make 20 approvals", async () => {
      world = await addApprovers(world, 17);
      const release = await releaseAt(world, null, [world.env.development, world.env.staging]);
      await Promise.all(
        world.approvers.map((a) =>
          decideApproval(a, { releaseId: release.id, environmentKey: "production", decision: "approved" }),
        ),
      );
      expect(await db().approval.count({ where: { releaseId: release.id } })).toBe(20);
      expect(await audits("release.approve")).toBe(20);
      expect(
        (await getPromotion(world.developer, release.id))?.gates.find((g) => g.key === "approvals")?.detail,
      ).toMatch(/^20 approvals, 2 required/);
    });

    it("an approval racing a rejection and a promotion ends consistently", async () => {
      for (let round = 0; round < 5; round++) {
        const [a, b, c] = world.approvers as [typeof world.qa, typeof world.qa, typeof world.qa];
        const release = await releaseAt(world, null, [world.env.development, world.env.staging]);
        const target = { releaseId: release.id, environmentKey: "production" };
        await decideApproval(a, { ...target, decision: "approved" });
        const outcomes = await settled<unknown>([
          decideApproval(b, { ...target, decision: "approved" }),
          decideApproval(c, { ...target, decision: "rejected", comment: "not yet" }),
          promoteRelease(world.developer, target),
        ]);
        const promotion = outcomes[2]!;
        const decisions = await db().approval.findMany({ where: { releaseId: release.id } });
        const rejected = decisions.some((d) => d.decision === "REJECTED");
        const deployments = await db().deployment.count({
          where: { releaseId: release.id, environmentId: world.env.production },
        });
        // a promotion happened only if, at that moment, two approvals and no rejection were committed
        if (promotion.status === "fulfilled") {
          const { deploymentId } = promotion.value as { deploymentId: string };
          expect(deployments).toBe(1);
          const event = await db().auditEvent.findFirstOrThrow({
            where: { action: "deployment.promote", entityId: deploymentId },
          });
          expect((event.after as { gates: { passed: boolean }[] }).gates.every((g) => g.passed)).toBe(true);
          // the rejection, ordered after the promotion, was refused
          expect(rejected).toBe(false);
        } else {
          expect(deployments).toBe(0);
        }
      }
    });
  });
});

async function addApprovers(world: PromotionWorld, n: number): Promise<PromotionWorld> {
  const { actorWith } = await import("../../test/actors");
  const more = [];
  for (let i = 0; i < n; i++)
    more.push(await actorWith(["environment.view", "release.approve"], [world.env.production]));
  return { ...world, approvers: [...world.approvers, ...more] };
}
