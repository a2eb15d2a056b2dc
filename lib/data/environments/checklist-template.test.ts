import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { insertPromotionWorld, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { ValidationError } from "../errors";
import { updateChecklistTemplate } from "./settings";

// A checklist template's items may name the CI check that ticks them, and be CI-only.

describe("checklist items satisfied by a check", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    await resetDatabase();
    world = await insertPromotionWorld();
  });

  const save = (items: unknown[]) =>
    updateChecklistTemplate(world.manager, { environmentKey: "staging", name: "Testing in Staging", items });

  it("stores the check's name and whether only it may tick, audited", async () => {
    const saved = await save([
      {
        id: null,
        section: "",
        label: "End-to-end suite green",
        hint: "",
        required: true,
        checkName: " e2e ",
        ciOnly: true,
      },
      { id: null, section: "", label: "Smoke tests pass", hint: "", required: true, checkName: "", ciOnly: false },
      { id: null, section: "", label: "Screenshots", hint: "", required: false },
    ]);
    expect(saved.items.map((i) => [i.label, i.checkName, i.ciOnly])).toEqual([
      ["End-to-end suite green", "e2e", true],
      ["Smoke tests pass", null, false],
      ["Screenshots", null, false],
    ]);
    const [event] = await db().auditEvent.findMany({ where: { action: "checklist.template.update" } });
    expect(JSON.stringify(event?.after)).toContain('"checkName":"e2e"');
  });

  it("refuses a malformed check name, and a CI-only item without a check", async () => {
    const error = await save([
      { id: null, section: "", label: "A", hint: "", required: true, checkName: "e2e!!", ciOnly: false },
      { id: null, section: "", label: "B", hint: "", required: true, checkName: "", ciOnly: true },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(["items.0.checkName"]);
    const second = await save([
      { id: null, section: "", label: "B", hint: "", required: true, checkName: "", ciOnly: true },
    ]).catch((e: unknown) => e);
    expect((second as ValidationError).fieldErrors).toEqual({
      "items.0.ciOnly": ["Name the check that ticks this item, or let people tick it"],
    });
  });
});
