import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, pool } from "../db";
import { flagGrid } from "../data/flags/grid";
import { recordFlagEvaluations, type Sighting } from "../data/flags/seen";
import { createSdkKey } from "../data/flags/sdk-keys";
import { flagServeVersion } from "../data/flags/snapshot";
import { actorWith } from "../test/actors";
import { resetDatabase } from "../test/reset";
import { createFlagHandler } from "./flags";
import { startEvaluationRecorder, type EvaluationRecorder } from "./seen";
import { startSnapshotSource, type SnapshotSource } from "./snapshot-source";

// Evaluations answered by the real handler are recorded in memory and written in one batch to
// FlagEvaluationSeen; the grid then marks stale flags (lib/domain/flag-staleness.ts).

const DAY = 24 * 60 * 60 * 1000;
const environments = { staging: "", production: "" };
let source: SnapshotSource;
let recorder: EvaluationRecorder;
let server: http.Server;
let base: string;
let stagingKey: string;
let productionKey: string;
let admin: Awaited<ReturnType<typeof actorWith>>;
const writes: Sighting[][] = [];
let failNext = false;
const logged: string[] = [];

async function flag(key: string, states: Partial<Record<"staging" | "production", object>>, createdDaysAgo = 0) {
  const created = await db().featureFlag.create({
    data: { key, name: key, category: "seen", createdAt: new Date(Date.now() - createdDaysAgo * DAY) },
  });
  for (const [env, state] of Object.entries(states))
    await db().flagState.create({
      data: { flagId: created.id, environmentId: environments[env as "staging" | "production"], ...state },
    });
  return created.id;
}

beforeAll(async () => {
  await resetDatabase();
  environments.staging = (await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } })).id;
  environments.production = (
    await db().environment.create({ data: { key: "production", name: "Production", position: 2 } })
  ).id;
  await flag("everywhere", { staging: { enabled: true }, production: { enabled: true } }, 40);
  await flag("partly", { staging: { enabled: true, rolloutPercent: 50 }, production: { enabled: false } }, 40);
  admin = await actorWith(
    ["environment.view", "environment.manage", "flag.toggle"],
    [environments.staging, environments.production],
  );
  stagingKey = (await createSdkKey(admin, { environmentKey: "staging", name: "web" })).key;
  productionKey = (await createSdkKey(admin, { environmentKey: "production", name: "web" })).key;

  source = await startSnapshotSource({ checkEveryMs: 200 });
  recorder = startEvaluationRecorder({
    // flushed by the tests themselves
    flushEveryMs: 3_600_000,
    log: (m) => logged.push(m),
    write: async (sightings) => {
      if (failNext) {
        failNext = false;
        throw new Error("database away");
      }
      writes.push(sightings);
      await recordFlagEvaluations(sightings);
    },
  });
  const handle = createFlagHandler(source, recorder);
  server = http.createServer((req, res) => {
    if (!handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await recorder.stop();
  await source.stop();
});

const seen = async () =>
  (
    await db().flagEvaluationSeen.findMany({
      include: { flag: { select: { key: true } }, environment: { select: { key: true } } },
    })
  )
    .map((r) => `${r.flag.key}@${r.environment.key}`)
    .sort();
const ofrep = (path: string, key: string) =>
  fetch(`${base}/ofrep/v1/evaluate/flags${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ context: { targetingKey: "u1" } }),
  });

describe("recording evaluations", () => {
  it("writes what the handler evaluated in one statement per flush, without moving the serve version", async () => {
    const version = await flagServeVersion();
    for (let i = 0; i < 20; i++)
      expect((await fetch(`${base}/api/v1/flags`, { headers: { authorization: `Bearer ${stagingKey}` } })).status).toBe(
        200,
      );
    expect((await ofrep("/partly", productionKey)).status).toBe(200);
    // refused requests and unknown flags evaluate nothing
    expect((await ofrep("/no-such-flag", productionKey)).status).toBe(404);
    expect((await ofrep("/partly", "glsdk_nope")).status).toBe(401);
    expect(await seen()).toEqual([]);

    const query = vi.spyOn(pool(), "query");
    try {
      await recorder.flush();
      const statements = query.mock.calls.filter((c) => JSON.stringify(c[0]).includes("FlagEvaluationSeen"));
      expect(statements).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
    expect(writes).toHaveLength(1);
    expect(await seen()).toEqual(["everywhere@staging", "partly@production", "partly@staging"]);
    // nothing new: no write at all
    await recorder.flush();
    expect(writes).toHaveLength(1);
    await source.refresh();
    expect(await flagServeVersion()).toBe(version);
  });

  it("keeps the later time, and retries a failed write at the next flush", async () => {
    const before = await db().flagEvaluationSeen.findFirstOrThrow({ where: { flag: { key: "everywhere" } } });
    expect((await ofrep("", productionKey)).status).toBe(200);
    failNext = true;
    await recorder.flush();
    expect(logged.at(-1)).toMatch(/recording 2 flag evaluations failed, retrying/);
    expect(await seen()).not.toContain("everywhere@production");
    await recorder.flush();
    expect(await seen()).toEqual([
      "everywhere@production",
      "everywhere@staging",
      "partly@production",
      "partly@staging",
    ]);
    // an older sighting never moves a time back
    await recordFlagEvaluations([
      { flagId: before.flagId, environmentId: before.environmentId, at: new Date(Date.now() - 5 * DAY) },
    ]);
    const after = await db().flagEvaluationSeen.findFirstOrThrow({
      where: { flagId: before.flagId, environmentId: before.environmentId },
    });
    expect(after.lastEvaluatedAt.getTime()).toBe(before.lastEvaluatedAt.getTime());
  });
});

describe("stale flags on the grid", () => {
  it("marks an old never-evaluated flag, one on everywhere and one not evaluated for N days; not a recently evaluated one", async () => {
    await flag("never-asked", { staging: { enabled: true } }, 45);
    await flag("brand-new", {}, 1);
    const forgotten = await flag("forgotten", { staging: { enabled: true, rolloutPercent: 10 } }, 90);
    await db().flagEvaluationSeen.create({
      data: {
        flagId: forgotten,
        environmentId: environments.staging,
        lastEvaluatedAt: new Date(Date.now() - 60 * DAY),
      },
    });
    const grid = await flagGrid(admin);
    const stale = Object.fromEntries(grid.flags.map((f) => [f.key, f.stale]));
    expect(stale).toEqual({
      "brand-new": null,
      everywhere: "On for everyone in every environment: time to remove it from the code",
      forgotten: `Not evaluated in any environment for 30 days (last on ${new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10)})`,
      "never-asked": "Never evaluated, and created more than 30 days ago",
      partly: null,
    });
  });
});

describe("the recorder alone", () => {
  const environment = {
    id: "env-1",
    key: "staging",
    name: "Staging",
    flags: new Map(),
    flagIds: new Map([
      ["a", "flag-a"],
      ["b", "flag-b"],
    ]),
  };

  it("flushes on its timer, off the request path, and what is pending on stop", async () => {
    const written: string[][] = [];
    const timed = startEvaluationRecorder({
      flushEveryMs: 100,
      write: (sightings) => {
        written.push(sightings.map((s) => `${s.flagId}@${s.environmentId}`).sort());
        return Promise.resolve();
      },
    });
    timed.one(environment, "a");
    timed.one(environment, "a");
    // a key the snapshot does not know is dropped
    timed.one(environment, "zzz");
    await vi.waitFor(() => expect(written).toEqual([["flag-a@env-1"]]), { timeout: 2_000 });
    timed.all(environment);
    await timed.stop();
    expect(written).toEqual([["flag-a@env-1"], ["flag-a@env-1", "flag-b@env-1"]]);
  });

  it("never throws into the server when writes fail, and keeps the sightings for the next try", async () => {
    const messages: string[] = [];
    let attempts = 0;
    const failing = startEvaluationRecorder({
      flushEveryMs: 3_600_000,
      log: (m) => messages.push(m),
      write: () => {
        attempts++;
        return Promise.reject(new Error("connection refused"));
      },
    });
    failing.all(environment);
    await failing.flush();
    await failing.flush();
    expect(attempts).toBe(2);
    expect(messages).toEqual([
      "recording 2 flag evaluations failed, retrying at the next flush: connection refused",
      "recording 2 flag evaluations failed, retrying at the next flush: connection refused",
    ]);
    await failing.stop();
  });
});
