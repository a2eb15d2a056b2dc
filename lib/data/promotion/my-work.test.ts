import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import type { EnvironmentPermission } from "../../domain/permissions";
import { userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../../session";
import { decideApproval } from "./approvals";
import { tickChecklistItem } from "./tick";
import { pendingWork, workFactsOf, workReasons, type WorkFacts } from "./my-work";
import { getPipelineOverview } from "../pipeline";
import { countQueries } from "../../test/pipeline.fixture";
import { readGateFactsMany } from "./gate-facts";
import { loadPreset } from "../../presets/load";

// What waits for whom, on the demo preset: QA ticks the staging checklist (and holds
// checklist.tick in production too), the product owner approves production promotions.

const NOW = new Date("2026-11-18T10:00:00Z");
const PERSONAS = [
  "ana.admin",
  "priya.product-owner",
  "quentin.qa",
  "diego.developer",
  "dana.devops",
  "omar.operations",
];
let env: Record<string, string>;

async function persona(local: string): Promise<UserActor> {
  const user = await db().user.findUniqueOrThrow({ where: { email: `${local}@demo.example` } });
  const actor = await loadUserActor(user.id);
  if (!actor) throw new Error(`${local} did not load`);
  return actor;
}

const pairsOf = (work: Awaited<ReturnType<typeof pendingWork>>) =>
  work.items.map((i) => `${i.applicationKey} ${i.environmentKey} ${i.reasons.join("+")}`);

describe("pendingWork", () => {
  beforeEach(async () => {
    await resetDatabase();
    await loadPreset(db(), "demo", { now: NOW, password: "pw-for-tests" });
    env = Object.fromEntries((await db().environment.findMany()).map((e) => [e.key, e.id]));
  });

  it("shows QA the releases whose checklists wait for their ticks, until every required item is ticked", async () => {
    const quentin = await persona("quentin.qa");
    const { result: before, queries } = await countQueries(() => pendingWork(quentin));
    expect(queries).toBe(2);
    expect(before.count).toBe(before.items.length);
    // the storefront release in staging: staging's "while it runs there" checklist and
    // production's pre-deployment one both gate its promotion, and QA may tick in both
    expect(pairsOf(before)).toEqual(["storefront production tick"]);

    const [item] = before.items;
    const [facts] = await readGateFactsMany(db(), [{ releaseId: item!.releaseId, environmentId: env.production! }]);
    expect(new Set(facts!.checklist.map((c) => c.environmentKey))).toEqual(new Set(["staging", "production"]));
    for (const c of facts!.checklist.filter((c) => c.required && !c.checked))
      await tickChecklistItem(quentin, {
        releaseId: item!.releaseId,
        environmentKey: c.environmentKey,
        itemId: c.id,
        checked: true,
      });
    expect(await pendingWork(quentin)).toMatchObject({ count: 0, items: [] });
  });

  it("shows the product owner the production approvals they have not given yet", async () => {
    const priya = await persona("priya.product-owner");
    const before = await pendingWork(priya);
    // the storefront candidate already has her approval; the payments canary is rolling out
    expect(pairsOf(before)).toEqual(["notifications-worker production approve"]);
    const [item] = before.items;
    expect(item).toMatchObject({ environmentName: "Production", environmentId: env.production });
    const release = await db().release.findUniqueOrThrow({ where: { id: item!.releaseId } });
    expect(item!.version).toBe(release.version);

    await decideApproval(priya, { releaseId: item!.releaseId, environmentKey: "production", decision: "approved" });
    expect(await pendingWork(priya)).toMatchObject({ count: 0, items: [] });
  });

  it("is empty, without a statement, for a user who may neither approve nor tick", async () => {
    for (const actor of [await userWithRoles([]), await persona("beatrice.business-owner")]) {
      expect(await countQueries(() => pendingWork(actor))).toMatchObject({
        result: { count: 0, items: [] },
        queries: 0,
      });
    }
  });

  it("agrees with the board: its waiting cells and their gate facts", async () => {
    for (const local of PERSONAS) {
      const actor = await persona(local);
      const { pipeline } = await getPipelineOverview(actor);
      const pairs = pipeline.rows.flatMap((row) =>
        row.cells.flatMap((c) =>
          c.waiting ? [{ releaseId: c.waiting.release.id, environmentId: c.environmentId }] : [],
        ),
      );
      const facts = await readGateFactsMany(db(), pairs);
      const expected = pairs.flatMap((pair, i) => {
        const reasons = workReasons(actor, workFactsOf(facts[i]!, actor.id));
        return reasons.length ? [`${pair.releaseId} ${pair.environmentId} ${reasons.join("+")}`] : [];
      });
      const work = await pendingWork(actor);
      const actual = work.items.map((i) => `${i.releaseId} ${i.environmentId} ${i.reasons.join("+")}`);
      expect(actual.sort(), local).toEqual(expected.sort());
    }
  });
});

describe("workReasons", () => {
  const facts: WorkFacts = {
    environmentId: "env",
    requiredApprovals: 1,
    preventSelfApproval: true,
    authorId: "author",
    decided: false,
    started: false,
    openRequiredIn: ["env"],
  };
  const actor = (id: string, permissions: EnvironmentPermission[]): UserActor => ({
    kind: "user",
    id,
    email: `${id}@test.example`,
    name: id,
    roles: [],
    global: new Set(),
    byEnvironment: new Map([["env", new Set(permissions)]]),
  });
  const both = actor("someone", ["environment.view", "release.approve", "checklist.tick"]);

  it("asks for an approval only where one is required, not given, not the prevented author's, not final", () => {
    expect(workReasons(both, facts)).toEqual(["approve", "tick"]);
    expect(workReasons(both, { ...facts, requiredApprovals: 0 })).toEqual(["tick"]);
    expect(workReasons(both, { ...facts, decided: true })).toEqual(["tick"]);
    expect(workReasons(actor("author", ["release.approve"]), facts)).toEqual([]);
    expect(workReasons(actor("author", ["release.approve"]), { ...facts, preventSelfApproval: false })).toEqual([
      "approve",
    ]);
    expect(workReasons(both, { ...facts, started: true })).toEqual([]);
  });

  it("asks for ticks only from holders of checklist.tick while a required item is open", () => {
    expect(workReasons(actor("x", ["checklist.tick"]), facts)).toEqual(["tick"]);
    expect(workReasons(actor("x", ["checklist.tick"]), { ...facts, openRequiredIn: [] })).toEqual([]);
    expect(workReasons(actor("x", ["environment.view"]), facts)).toEqual([]);
    // the open item is in the stage before (a "while it runs there" checklist): a tick there counts
    expect(workReasons(actor("x", ["checklist.tick"]), { ...facts, environmentId: "next" })).toEqual(["tick"]);
  });
});
