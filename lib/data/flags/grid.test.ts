import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { actorWith } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { ConflictError, ValidationError } from "../errors";
import { flagGrid } from "./grid";
import { updateFlagState } from "./toggle";

const environments = { staging: "", production: "" };

beforeAll(async () => {
  await resetDatabase();
  environments.staging = (await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } })).id;
  environments.production = (
    await db().environment.create({ data: { key: "production", name: "Production", position: 2 } })
  ).id;
  const everywhere = await db().featureFlag.create({ data: { key: "journal", name: "Journal", category: "content" } });
  const partly = await db().featureFlag.create({
    data: { key: "preOrders", name: "Pre-orders", category: "commerce" },
  });
  await db().featureFlag.create({ data: { key: "oldBanner", name: "Old banner", archivedAt: new Date() } });
  for (const environmentId of Object.values(environments))
    await db().flagState.create({ data: { flagId: everywhere.id, environmentId, enabled: true } });
  await db().flagState.create({
    data: { flagId: partly.id, environmentId: environments.production, enabled: true, rolloutPercent: 10 },
  });
});

describe("the flag grid", () => {
  it("shows every flag in every environment the viewer may see, by category, with what differs", async () => {
    const admin = await actorWith(["environment.view", "flag.toggle"], [environments.staging, environments.production]);
    const grid = await flagGrid(admin);
    expect(grid.environments.map((e) => [e.key, e.canToggle])).toEqual([
      ["staging", true],
      ["production", true],
    ]);
    expect(grid.flags.map((f) => [f.category, f.key, f.differs, f.archived])).toEqual([
      ["commerce", "preOrders", true, false],
      ["content", "journal", false, false],
      // archived: marked, for the page to hide unless asked
      ["general", "oldBanner", false, true],
    ]);
    expect(grid.flags[0]?.cells).toEqual({
      staging: { enabled: false, rolloutPercent: null, rules: [] },
      production: { enabled: true, rolloutPercent: 10, rules: [] },
    });
  });

  it("never mentions an environment the viewer may not see, and says where they may not toggle", async () => {
    const qa = await actorWith(["environment.view"], [environments.staging]);
    const grid = await flagGrid(qa);
    expect(grid.environments.map((e) => [e.key, e.name, e.canToggle])).toEqual([["staging", "Staging", false]]);
    for (const flag of grid.flags) expect(Object.keys(flag.cells)).toEqual(["staging"]);
    // seen from staging alone, pre-orders is the same everywhere
    expect(grid.flags.find((f) => f.key === "preOrders")?.differs).toBe(false);
  });

  it("refuses to change an archived flag (409), and changes nothing", async () => {
    const admin = await actorWith(["environment.view", "flag.toggle"], [environments.staging]);
    await expect(
      updateFlagState(admin, { flagKey: "oldBanner", environmentKey: "staging", enabled: true }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await db().flagState.count({ where: { flag: { key: "oldBanner" } } })).toBe(0);
  });

  it("sets a share and targeting rules written one a line, audited in those words; a bad line is a 422 naming it", async () => {
    const admin = await actorWith(["environment.view", "flag.toggle"], [environments.staging]);
    await updateFlagState(admin, {
      flagKey: "journal",
      environmentKey: "staging",
      enabled: true,
      rolloutPercent: 25,
      rules: "country in FR, DE\nemail = qa@shop.example",
    });
    const grid = await flagGrid(admin);
    expect(grid.flags.find((f) => f.key === "journal")?.cells.staging).toEqual({
      enabled: true,
      rolloutPercent: 25,
      rules: [
        { attribute: "country", operator: "in", values: ["FR", "DE"] },
        { attribute: "email", operator: "equals", values: ["qa@shop.example"] },
      ],
    });
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "flag.state.update", entityId: "journal" },
      orderBy: { at: "desc" },
    });
    expect(event.after).toMatchObject({ rolloutPercent: 25, rules: "country in FR, DE\nemail = qa@shop.example" });

    const refused = updateFlagState(admin, {
      flagKey: "journal",
      environmentKey: "staging",
      enabled: true,
      rolloutPercent: 101,
      rules: "country FR",
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    const error = (await refused.catch((e: unknown) => e)) as ValidationError;
    expect(error.fieldErrors).toMatchObject({
      rolloutPercent: ["Enter a share between 0 and 100"],
      rules: ['Line 1: write "attribute = value" or "attribute in value, value"'],
    });
    // unchanged
    expect((await flagGrid(admin)).flags.find((f) => f.key === "journal")?.cells.staging?.rolloutPercent).toBe(25);
  });
});
