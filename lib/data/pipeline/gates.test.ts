import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { evaluateGates, failingGates } from "../../domain/gates";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../../session";
import { gateInput, readGateFacts } from "../promotion/gate-facts";
import { getPipelineOverview } from "./overview";
import { countQueries } from "../../test/pipeline.fixture";
import { readGateFactsMany, type GatePair } from "../promotion/gate-facts";
import { cellKey, getPipelineGates } from "./gates";
import { loadPreset } from "../../presets/load";

// The batch reader against the per-pair one, on the demo preset: same facts, same gates.

const NOW = new Date("2026-11-18T10:00:00Z"); // a Wednesday: no weekend freeze
let ana: UserActor;
let env: Record<string, string>;

async function persona(local: string): Promise<UserActor> {
  const user = await db().user.findUniqueOrThrow({ where: { email: `${local}@demo.example` } });
  const actor = await loadUserActor(user.id);
  if (!actor) throw new Error(`${local} did not load`);
  return actor;
}

beforeAll(async () => {
  await resetDatabase();
  await loadPreset(db(), "demo", { now: NOW, password: "pw-for-tests" });
  ana = await persona("ana.admin");
  env = Object.fromEntries((await db().environment.findMany()).map((e) => [e.key, e.id]));
});

describe("readGateFactsMany", () => {
  it("reads for every pair what readGateFacts reads for each, in one statement", async () => {
    const { pipeline } = await getPipelineOverview(ana);
    const waiting = pipeline.rows.flatMap((row) =>
      row.cells.flatMap((c) =>
        c.waiting ? [{ releaseId: c.waiting.release.id, environmentId: c.environmentId }] : [],
      ),
    );
    expect(waiting.length).toBeGreaterThanOrEqual(4);
    // besides the board's pairs: a release long in production, against every stage, and a repeat
    const old = await db().release.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    const pairs: GatePair[] = [
      ...waiting,
      ...Object.values(env).map((environmentId) => ({ releaseId: old.id, environmentId })),
      waiting[0]!,
    ];

    const { result: many, queries } = await countQueries(() => readGateFactsMany(db(), pairs));
    expect(queries).toBe(1);
    expect(many).toHaveLength(pairs.length);
    for (const [i, pair] of pairs.entries()) {
      const one = await readGateFacts(db(), pair.releaseId, pair.environmentId);
      expect(one, `pair ${i}`).not.toBeNull();
      expect(many[i], `pair ${i}`).toEqual(one);
      expect(evaluateGates(gateInput(many[i]!, NOW))).toEqual(evaluateGates(gateInput(one!, NOW)));
    }
    // the demo's waiting pairs include decisions, copied checklists and freeze windows
    expect(many.some((f) => (f?.decisions.length ?? 0) > 0)).toBe(true);
    expect(many.some((f) => f?.checklistCopied)).toBe(true);
    expect(many.some((f) => (f?.freezeWindows.length ?? 0) > 0)).toBe(true);
  });

  it("gives null where the release or the environment does not exist, and reads nothing for no pairs", async () => {
    const id = (await db().release.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).id;
    const missing = "00000000-0000-7000-8000-000000000000";
    const facts = await readGateFactsMany(db(), [
      { releaseId: missing, environmentId: env.production! },
      { releaseId: id, environmentId: env.production! },
      { releaseId: id, environmentId: missing },
    ]);
    expect(facts.map((f) => f?.release.id ?? null)).toEqual([null, id, null]);
    expect(await countQueries(() => readGateFactsMany(db(), []))).toMatchObject({ result: [], queries: 0 });
  });
});

describe("getPipelineGates", () => {
  it("gives each waiting cell its release's gates, in one statement", async () => {
    // evaluated at the preset's `now`: a real clock could fall in the weekend freeze
    const overview = { ...(await getPipelineOverview(ana)), asOf: NOW };
    const { result: gates, queries } = await countQueries(() => getPipelineGates(ana, overview));
    expect(queries).toBe(1);
    const waitingCells = overview.pipeline.rows.flatMap((row) =>
      row.cells.filter((c) => c.waiting).map((c) => cellKey(row.applicationId, c.environmentId)),
    );
    expect(Object.keys(gates).sort()).toEqual(waitingCells.sort());

    // the notifications worker's newest release waits for production: checklist done, nobody approved yet
    const app = await db().application.findUniqueOrThrow({ where: { key: "notifications-worker" } });
    const cell = overview.pipeline.rows
      .find((r) => r.applicationId === app.id)!
      .cells.find((c) => c.environmentId === env.production)!;
    const summary = gates[cellKey(app.id, env.production!)]!;
    expect(summary.releaseId).toBe(cell.waiting?.release.id);
    expect(summary.gates.map((g) => g.key)).toEqual([
      "previous_stage",
      "branch",
      "soak",
      "approvals",
      "rejection",
      "checklist",
      "checks",
      "freeze",
    ]);
    expect(failingGates(summary.gates).map((g) => [g.key, g.detail])).toEqual([["approvals", "0 of 1 approval"]]);
  });
});
