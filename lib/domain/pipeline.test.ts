import { describe, expect, it } from "vitest";
import type { Gate, GateKey } from "./gates";
import {
  buildPipeline,
  cellKey,
  cellMeta,
  CELL_STATE_META,
  durationOf,
  PATH_STATE_META,
  promotionReadiness,
  isNewer,
  releasePath,
  type CellState,
  type PathAttempt,
  type PathState,
  type PipelineInput,
  type ReleaseRef,
} from "./pipeline";
import { DEPLOYMENT_STATUSES, DEPLOYMENT_STATUS_META, isActiveStatus } from "./status";

// A three-stage pipeline and one application's releases, one day apart.
const DEV = { id: "env-dev", position: 0 };
const STAGING = { id: "env-staging", position: 1 };
const PROD = { id: "env-prod", position: 2 };
const ENVIRONMENTS = [PROD, DEV, STAGING]; // deliberately out of order: position decides
const APP = "app-1";

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 12));
const release = (n: number): ReleaseRef => ({ id: `rel-${n}`, version: `1.${n}.0`, createdAt: day(n) });
const R1 = release(1);
const R2 = release(2);
const R3 = release(3);
const R4 = release(4);

const live = (environmentId: string, r: ReleaseRef, finished = day(10)) => ({
  applicationId: APP,
  environmentId,
  deploymentId: `dep-${environmentId}-${r.id}`,
  release: r,
  finishedAt: finished,
});

function pipelineOf(overrides: Partial<PipelineInput>) {
  return buildPipeline({
    environments: ENVIRONMENTS,
    applicationIds: [APP],
    live: [],
    active: [],
    failures: [],
    unreleased: [],
    ...overrides,
  });
}

function states(overrides: Partial<PipelineInput>): CellState[] {
  return pipelineOf(overrides).rows[0]!.cells.map((c) => c.state);
}

function waitingVersions(overrides: Partial<PipelineInput>): (string | null)[] {
  return pipelineOf(overrides).rows[0]!.cells.map((c) => c.waiting?.release.version ?? null);
}

describe("buildPipeline", () => {
  const cases: { name: string; input: Partial<PipelineInput>; states: CellState[]; waiting: (string | null)[] }[] = [
    {
      name: "nothing deployed, no releases",
      input: {},
      states: ["empty", "empty", "empty"],
      waiting: [null, null, null],
    },
    {
      name: "a new release waits for the first environment only",
      input: { unreleased: [{ applicationId: APP, release: R1 }] },
      states: ["waiting", "empty", "empty"],
      waiting: ["1.1.0", null, null],
    },
    {
      name: "the same release everywhere is up to date",
      input: { live: [live(DEV.id, R2), live(STAGING.id, R2), live(PROD.id, R2)] },
      states: ["live", "live", "live"],
      waiting: [null, null, null],
    },
    {
      name: "a newer release in the stage before waits to be promoted",
      input: { live: [live(DEV.id, R3), live(STAGING.id, R2), live(PROD.id, R1)] },
      states: ["live", "waiting", "waiting"],
      waiting: [null, "1.3.0", "1.2.0"],
    },
    {
      name: "an environment ahead of the one before it (hotfix) waits for nothing",
      input: { live: [live(DEV.id, R1), live(STAGING.id, R2), live(PROD.id, R2)] },
      states: ["live", "live", "live"],
      waiting: [null, null, null],
    },
    {
      name: "an empty environment waits for what the stage before runs",
      input: { live: [live(DEV.id, R1)] },
      states: ["live", "waiting", "empty"],
      waiting: [null, "1.1.0", null],
    },
    {
      name: "an unreleased version older than what the first stage runs is not waiting",
      input: { live: [live(DEV.id, R2)], unreleased: [{ applicationId: APP, release: R1 }] },
      states: ["live", "waiting", "empty"],
      waiting: [null, "1.2.0", null],
    },
    {
      name: "a running deploy outranks waiting",
      input: {
        live: [live(DEV.id, R2), live(STAGING.id, R1)],
        active: [
          {
            applicationId: APP,
            environmentId: STAGING.id,
            deploymentId: "d",
            status: "running",
            release: R2,
            queuedAt: day(11),
            startedAt: day(11),
          },
        ],
      },
      states: ["live", "deploying", "waiting"],
      waiting: [null, "1.2.0", "1.1.0"],
    },
    {
      name: "a queued deploy reads as queued",
      input: {
        unreleased: [{ applicationId: APP, release: R1 }],
        active: [
          {
            applicationId: APP,
            environmentId: DEV.id,
            deploymentId: "d",
            status: "queued",
            release: R1,
            queuedAt: day(11),
            startedAt: null,
          },
        ],
      },
      states: ["queued", "empty", "empty"],
      waiting: ["1.1.0", null, null],
    },
    {
      name: "a failure after the live deploy shows",
      input: {
        live: [live(DEV.id, R2, day(10))],
        failures: [
          {
            applicationId: APP,
            environmentId: DEV.id,
            deploymentId: "f",
            status: "failed",
            release: R3,
            finishedAt: day(11),
          },
        ],
      },
      states: ["failed", "waiting", "empty"],
      waiting: [null, "1.2.0", null],
    },
    {
      name: "an old failure, since fixed by a successful deploy, does not",
      input: {
        live: [live(DEV.id, R2, day(12))],
        failures: [
          {
            applicationId: APP,
            environmentId: DEV.id,
            deploymentId: "f",
            status: "failed",
            release: R1,
            finishedAt: day(11),
          },
        ],
      },
      states: ["live", "waiting", "empty"],
      waiting: [null, "1.2.0", null],
    },
    {
      name: "a rollback of the waiting release keeps showing as rolled back",
      input: {
        live: [live(DEV.id, R3), live(STAGING.id, R3), live(PROD.id, R2, day(13))],
        failures: [
          {
            applicationId: APP,
            environmentId: PROD.id,
            deploymentId: "rb",
            status: "rolled_back",
            release: R3,
            finishedAt: day(12),
          },
        ],
      },
      states: ["live", "live", "rolled_back"],
      waiting: [null, null, "1.3.0"],
    },
  ];

  it.each(cases)("$name", ({ input, states: expected, waiting }) => {
    expect(states(input)).toEqual(expected);
    expect(waitingVersions(input)).toEqual(waiting);
  });

  it("orders cells by environment position whatever the input order", () => {
    expect(pipelineOf({}).environmentIds).toEqual([DEV.id, STAGING.id, PROD.id]);
  });

  it("keeps one row per application, in the given order, even without deployments", () => {
    const pipeline = buildPipeline({
      environments: ENVIRONMENTS,
      applicationIds: ["b", "a"],
      live: [],
      active: [],
      failures: [],
      unreleased: [],
    });
    expect(pipeline.rows.map((r) => r.applicationId)).toEqual(["b", "a"]);
  });

  it("summarizes per application and lists promotions closest to production first", () => {
    const pipeline = pipelineOf({
      live: [live(DEV.id, R4), live(STAGING.id, R3, day(9)), live(PROD.id, R1)],
      failures: [],
    });
    expect(pipeline.rows[0]!.summary).toEqual({
      furthestEnvironmentId: PROD.id,
      waiting: 2,
      inProgress: 0,
      failing: 0,
    });
    expect(pipeline.summary.waiting).toBe(2);
    expect(pipeline.summary.promotions.map((p) => [p.environmentId, p.release.version, p.fromEnvironmentId])).toEqual([
      [PROD.id, "1.3.0", STAGING.id],
      [STAGING.id, "1.4.0", DEV.id],
    ]);
    // waiting since the release went live in the stage before
    expect(pipeline.summary.promotions[0]!.since).toEqual(day(9));
  });

  it("counts deploys in progress and failures across applications", () => {
    const pipeline = buildPipeline({
      environments: ENVIRONMENTS,
      applicationIds: [APP, "app-2"],
      live: [live(DEV.id, R1)],
      active: [
        {
          applicationId: "app-2",
          environmentId: DEV.id,
          deploymentId: "a",
          status: "running",
          release: R2,
          queuedAt: day(3),
          startedAt: day(3),
        },
      ],
      failures: [
        {
          applicationId: APP,
          environmentId: STAGING.id,
          deploymentId: "f",
          status: "failed",
          release: R1,
          finishedAt: day(4),
        },
      ],
      unreleased: [],
    });
    expect(pipeline.summary).toMatchObject({ waiting: 0, inProgress: 1, failing: 1, promotions: [] });
  });
});

// ─── words that match the state ──────────────────────────────────────────────────────────────

const gatesFailing = (...failing: GateKey[]): Gate[] =>
  (["previous_stage", "soak", "approvals", "rejection", "checklist", "freeze"] as const).map((key) => ({
    key,
    passed: !failing.includes(key),
    detail: failing.includes(key) ? `${key} holds it` : "passes",
  }));

describe("a waiting release says 'Ready' only when every gate passes", () => {
  it("reads 'Ready to promote' with every gate passing, and what it waits for otherwise", () => {
    expect(cellMeta("waiting", gatesFailing())).toMatchObject({ label: "Ready to promote", icon: "arrow" });
    expect(cellMeta("waiting", gatesFailing("approvals"))).toMatchObject({
      label: "Waiting for Approvals",
      icon: "clock",
      description: "Approvals: approvals holds it",
    });
    expect(cellMeta("waiting", gatesFailing("approvals", "checklist")).label).toBe("Waiting for Approvals, Checklist");
  });

  it("never says 'Ready' without its gates, nor for another state", () => {
    expect(cellMeta("waiting").label).not.toMatch(/ready/i);
    expect(CELL_STATE_META.waiting.label).not.toMatch(/ready/i);
    expect(PATH_STATE_META.next.label).not.toMatch(/ready/i);
    expect(cellMeta("deploying", gatesFailing())).toBe(CELL_STATE_META.deploying);
    expect(cellMeta("live")).toBe(CELL_STATE_META.live);
  });

  it("counts as ready only the promotions whose every gate passes", () => {
    const pipeline = pipelineOf({
      live: [live(DEV.id, R4), live(STAGING.id, R3, day(9)), live(PROD.id, R1)],
      failures: [],
    });
    const [toProd, toStaging] = pipeline.summary.promotions;
    const summary = (gates: Gate[], releaseId = toStaging!.release.id) => ({
      [cellKey(APP, PROD.id)]: { releaseId: toProd!.release.id, gates: gatesFailing("approvals") },
      [cellKey(APP, STAGING.id)]: { releaseId, gates },
    });
    expect(promotionReadiness(pipeline.summary.promotions, summary(gatesFailing()))).toEqual({ ready: 1, held: 1 });
    expect(promotionReadiness(pipeline.summary.promotions, summary(gatesFailing("soak")))).toEqual({
      ready: 0,
      held: 2,
    });
    // gates evaluated for another release, or none at all, are not a reason to say ready
    expect(promotionReadiness(pipeline.summary.promotions, summary(gatesFailing(), "rel-other"))).toEqual({
      ready: 0,
      held: 2,
    });
    expect(promotionReadiness(pipeline.summary.promotions, {})).toEqual({ ready: 0, held: 2 });
  });
});

describe("isNewer", () => {
  it.each([
    [R2, R1, true],
    [R1, R2, false],
    [R1, R1, false],
    // same creation time: the time-ordered id decides
    [{ ...R1, id: "rel-1b" }, R1, true],
  ])("%o newer than %o → %s", (a, b, expected) => {
    expect(isNewer(a, b)).toBe(expected);
  });
});

describe("releasePath", () => {
  const attempt = (environmentId: string, status: PathAttempt["status"], n: number, minutes = 5): PathAttempt => ({
    id: `d-${environmentId}-${n}`,
    environmentId,
    status,
    queuedAt: day(n),
    startedAt: day(n),
    finishedAt: isActiveStatus(status) ? null : new Date(day(n).getTime() + minutes * 60_000),
  });
  const liveMap = (entries: [string, ReleaseRef][]) => new Map(entries);

  const cases: { name: string; attempts: PathAttempt[]; live: [string, ReleaseRef][]; expected: PathState[] }[] = [
    {
      name: "a new release: the first stage is next",
      attempts: [],
      live: [],
      expected: ["next", "not_reached", "not_reached"],
    },
    {
      name: "a stage that runs a newer release was skipped, not next",
      attempts: [],
      live: [[DEV.id, R4]],
      expected: ["skipped", "not_reached", "not_reached"],
    },
    {
      name: "a release overtaken after development skipped the later stages",
      attempts: [attempt(DEV.id, "succeeded", 3)],
      live: [
        [DEV.id, R4],
        [STAGING.id, R4],
        [PROD.id, R2],
      ],
      expected: ["superseded", "skipped", "not_reached"],
    },
    {
      name: "live in development, next is staging",
      attempts: [attempt(DEV.id, "succeeded", 3)],
      live: [[DEV.id, R3]],
      expected: ["live", "next", "not_reached"],
    },
    {
      name: "replaced in development, it is no longer the candidate for staging",
      attempts: [attempt(DEV.id, "succeeded", 3)],
      live: [[DEV.id, R4]],
      expected: ["superseded", "not_reached", "not_reached"],
    },
    {
      name: "replaced in development but live in staging, it is next for production",
      attempts: [attempt(DEV.id, "succeeded", 3), attempt(STAGING.id, "succeeded", 4)],
      live: [
        [DEV.id, R4],
        [STAGING.id, R3],
        [PROD.id, R2],
      ],
      expected: ["superseded", "live", "next"],
    },
    {
      name: "running in staging",
      attempts: [attempt(DEV.id, "succeeded", 3), attempt(STAGING.id, "running", 4)],
      live: [[DEV.id, R3]],
      expected: ["live", "running", "not_reached"],
    },
    {
      name: "the latest attempt decides: a retry after a failure succeeded",
      attempts: [attempt(DEV.id, "failed", 3), attempt(DEV.id, "succeeded", 4)],
      live: [[DEV.id, R3]],
      expected: ["live", "next", "not_reached"],
    },
    {
      name: "failed in production",
      attempts: [attempt(DEV.id, "succeeded", 3), attempt(STAGING.id, "succeeded", 4), attempt(PROD.id, "failed", 5)],
      live: [
        [DEV.id, R3],
        [STAGING.id, R3],
        [PROD.id, R2],
      ],
      expected: ["live", "live", "failed"],
    },
    {
      name: "rolled back in production",
      attempts: [
        attempt(DEV.id, "succeeded", 3),
        attempt(STAGING.id, "succeeded", 4),
        attempt(PROD.id, "rolled_back", 5),
      ],
      live: [
        [DEV.id, R3],
        [STAGING.id, R3],
        [PROD.id, R2],
      ],
      expected: ["live", "live", "rolled_back"],
    },
    {
      name: "a stage behind a failed one is not next",
      attempts: [attempt(DEV.id, "cancelled", 3)],
      live: [],
      expected: ["cancelled", "not_reached", "not_reached"],
    },
    {
      name: "a redeploy of the live release reads as in progress",
      attempts: [attempt(DEV.id, "succeeded", 3), attempt(DEV.id, "queued", 4)],
      live: [[DEV.id, R3]],
      expected: ["queued", "next", "not_reached"],
    },
  ];

  it.each(cases)("$name", ({ attempts, live: liveEntries, expected }) => {
    const steps = releasePath({ release: R3, environments: ENVIRONMENTS, attempts, live: liveMap(liveEntries) });
    expect(steps.map((s) => s.state)).toEqual(expected);
  });

  it("reports attempts, the latest one, its duration and what runs instead", () => {
    const steps = releasePath({
      release: R3,
      environments: ENVIRONMENTS,
      attempts: [attempt(DEV.id, "failed", 3, 2), attempt(DEV.id, "succeeded", 4, 7)],
      live: liveMap([[DEV.id, R4]]),
    });
    expect(steps[0]).toMatchObject({ attempts: 2, durationMs: 7 * 60_000, runningInstead: R4 });
    expect(steps[0]!.latest?.id).toBe(`d-${DEV.id}-4`);
    expect(steps[1]).toMatchObject({ attempts: 0, latest: null, durationMs: null, runningInstead: null });
  });
});

describe("durationOf", () => {
  it.each([
    [
      {
        queuedAt: day(1),
        startedAt: new Date(day(1).getTime() + 1000),
        finishedAt: new Date(day(1).getTime() + 61_000),
      },
      60_000,
    ],
    [{ queuedAt: day(1), startedAt: null, finishedAt: new Date(day(1).getTime() + 5000) }, 5000],
    [{ queuedAt: day(1), startedAt: day(1), finishedAt: null }, null],
  ])("%o → %s", (attempt, expected) => {
    expect(durationOf(attempt)).toBe(expected);
  });
});

describe("deployment statuses", () => {
  it("give every status a distinct label and icon, so they read without colour", () => {
    const metas = DEPLOYMENT_STATUSES.map((s) => DEPLOYMENT_STATUS_META[s]);
    expect(new Set(metas.map((m) => m.label)).size).toBe(DEPLOYMENT_STATUSES.length);
    expect(new Set(metas.map((m) => m.icon)).size).toBe(DEPLOYMENT_STATUSES.length);
  });
});
