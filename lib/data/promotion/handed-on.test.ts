import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { NotFoundError } from "../errors";
import { tickChecklistItem } from "./tick";
import { getHandedOn, getPromotion } from "./view";

// A viewer who may not see where a release goes next: QA, who sees staging but not production,
// still finds staging's "while it runs there" checklist that gates production, and may tick it;
// the page never names the stage they do not see, nor says the release reached the end.

describe("the step a viewer cannot see", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
    // staging's list is worked through while the release runs there, before production
    await db().checklistTemplate.update({
      where: { environmentId: world.env.staging },
      data: { timing: "BEFORE_EXIT" },
    });
    await db().checklistTemplate.create({
      data: {
        environmentId: world.env.production,
        name: "Go-live",
        items: { create: [{ position: 0, label: "Status page updated", required: true }] },
      },
    });
  });

  it("shows QA staging's checklist that gates production, tickable, without naming production", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development, world.env.staging]);
    expect(await getPromotion(world.qa, release.id)).toBeNull();
    const view = await getHandedOn(world.qa, release.id);
    expect(view).toMatchObject({ version: release.version, stage: { key: "staging", name: "Staging" } });
    expect(view!.checklists).toEqual([{ key: "staging", name: "Staging", timing: "before_exit", mayTick: true }]);
    expect(view!.checklist.map((item) => item.label)).toEqual([
      "Smoke tests pass",
      "Regression suite green",
      "Screenshots attached",
    ]);
    expect(JSON.stringify(view)).not.toMatch(/production|Go-live|Status page/i);

    const item = view!.checklist[0]!;
    await tickChecklistItem(world.qa, {
      releaseId: release.id,
      environmentKey: "staging",
      itemId: item.id,
      checked: true,
    });
    const after = await getHandedOn(world.qa, release.id);
    expect(after!.checklist.find((i) => i.label === "Smoke tests pass")).toMatchObject({ checked: true });
    // the product owner, who sees production, finds the same tick in the production step
    const promotion = await getPromotion(world.manager, release.id);
    expect(promotion!.environment.key).toBe("production");
    expect(promotion!.checklist.find((i) => i.label === "Smoke tests pass")).toMatchObject({ checked: true });
    expect(await getHandedOn(world.manager, release.id)).toBeNull();
  });

  it("after the last stage: handed on for QA, the end of the pipeline for who sees it", async () => {
    const release = await releaseAt(world, world.developer.id, [
      world.env.development,
      world.env.staging,
      world.env.production,
    ]);
    expect(await getHandedOn(world.qa, release.id)).toMatchObject({ stage: { name: "Staging" }, checklists: [] });
    expect(await getHandedOn(world.manager, release.id)).toBeNull();
  });

  it("is nothing while the next stage is one the viewer sees", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development]);
    expect(await getHandedOn(world.qa, release.id)).toBeNull();
    expect((await getPromotion(world.qa, release.id))!.environment.key).toBe("staging");
  });

  it("an unknown or malformed release is a 404", async () => {
    await expect(getHandedOn(world.qa, "00000000-0000-7000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
    await expect(getHandedOn(world.qa, "not-an-id")).rejects.toBeInstanceOf(NotFoundError);
  });
});
