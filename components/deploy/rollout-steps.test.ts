import { describe, expect, it } from "vitest";
import type { DeploymentStepView, DeploymentView } from "@/lib/data/deployments/view";
import { progressText, stepEntries, stepState } from "./rollout-steps";

const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, s));

function view(over: Partial<DeploymentView> = {}): DeploymentView {
  return {
    kind: "promotion",
    status: "running",
    phase: "analyse",
    strategy: "canary",
    plan: [
      { percent: 5, pauseSeconds: 300 },
      { percent: 50, pauseSeconds: 600 },
      { percent: 100, pauseSeconds: 0 },
    ],
    currentStep: 0,
    trafficPercent: 5,
    color: "green",
    previousColor: "blue",
    skipPauses: false,
    queuePosition: null,
    release: { id: "r2", version: "2.4.0", title: null },
    previousRelease: { id: "r1", version: "2.3.1" },
    steps: [],
    ...over,
  } as DeploymentView;
}

function step(over: Partial<DeploymentStepView>): DeploymentStepView {
  return {
    index: -1,
    action: "deploy",
    trafficPercent: 0,
    status: "succeeded",
    message: null,
    providerRef: null,
    startedAt: at(0),
    finishedAt: at(10),
    ...over,
  };
}

describe("stepEntries", () => {
  it("shows the smoke check of the idle colour as its own step, between the deploy and the traffic", () => {
    const smoking = stepEntries(
      view({
        phase: "smoke",
        currentStep: -1,
        trafficPercent: 0,
        steps: [step({}), step({ action: "smoke", status: "analysing", startedAt: at(11), finishedAt: null })],
      }),
    );
    expect(smoking.slice(0, 3).map((e) => [e.action, e.title, e.state, e.current])).toEqual([
      ["deploy", "Deploy 2.4.0 to the idle colour (green)", "succeeded", false],
      ["smoke", "Smoke check of the idle colour (green), before any traffic", "analysing", true],
      ["traffic", "5 % of traffic", "pending", false],
    ]);
    expect(progressText(view({ phase: "smoke" }))).toBe("Smoke-checking the idle colour, no traffic yet");
    // failed there: nothing after it ran
    const failed = stepEntries(
      view({
        status: "failed",
        steps: [step({}), step({ action: "smoke", status: "failed", message: "Home page: GET … answered 500" })],
      }),
    );
    expect(failed.map((e) => e.state)).toEqual(["succeeded", "failed", "skipped", "skipped", "skipped"]);
    // a direct deploy has none, and a rollout from before smoke checks shows none
    expect(stepEntries(view({ strategy: "direct", plan: [] })).map((e) => e.action)).toEqual(["deploy"]);
    const older = stepEntries(view({ steps: [step({}), step({ index: 0, action: "traffic", trafficPercent: 5 })] }));
    expect(older.map((e) => e.action)).not.toContain("smoke");
  });

  it("lists the deploy and every traffic step of a canary, pending where no row exists yet", () => {
    const entries = stepEntries(
      view({
        steps: [
          step({}),
          step({
            index: 0,
            action: "traffic",
            trafficPercent: 5,
            status: "analysing",
            startedAt: at(11),
            finishedAt: null,
          }),
        ],
      }),
    );
    expect(entries.map((e) => [e.title, e.state, e.current])).toEqual([
      ["Deploy 2.4.0 to the idle colour (green)", "succeeded", false],
      ["5 % of traffic", "analysing", true],
      ["50 % of traffic", "pending", false],
      ["100 % of traffic", "pending", false],
    ]);
    expect(entries[2]!.pauseSeconds).toBe(600);
  });

  it("marks steps never reached as skipped once the deployment ended, and shows the rollback that ran", () => {
    const entries = stepEntries(
      view({
        status: "rolled_back",
        phase: "done",
        steps: [
          step({}),
          step({ index: 0, action: "traffic", trafficPercent: 5 }),
          step({ index: 1, action: "traffic", trafficPercent: 50, status: "failed", message: "5xx ratio 0.12 > 0.05" }),
          step({ index: 1, action: "rollback", trafficPercent: 0, startedAt: at(40), finishedAt: at(45) }),
        ],
      }),
    );
    expect(entries.map((e) => [e.key, e.state])).toEqual([
      ["deploy", "succeeded"],
      ["traffic-0", "succeeded"],
      ["traffic-1", "failed"],
      ["traffic-2", "skipped"],
      ["rollback-1", "succeeded"],
    ]);
    expect(entries[4]!.title).toBe("Roll back to 2.3.1");
    expect(entries.some((e) => e.current)).toBe(false);
  });

  it("shows a direct deploy as one step with all traffic", () => {
    const entries = stepEntries(view({ strategy: "direct", plan: [], status: "queued", steps: [] }));
    expect(entries).toMatchObject([{ title: "Deploy 2.4.0", trafficPercent: 100, state: "pending", current: false }]);
  });

  it("shows a rollback deployment as its rollback alone, to the release it puts back", () => {
    const entries = stepEntries(view({ kind: "rollback", status: "queued", steps: [] }));
    expect(entries).toMatchObject([{ action: "rollback", title: "Roll back to 2.4.0", state: "pending" }]);
  });

  it("reads an unknown row status as running rather than failing", () => {
    expect(stepState("warming up")).toBe("running");
    expect(stepState("awaiting")).toBe("awaiting");
  });
});

describe("progressText", () => {
  it("says where the rollout stands", () => {
    expect(progressText(view())).toBe("Checking health at 5 % of traffic");
    expect(progressText(view({ phase: "shift", currentStep: 1 }))).toBe("Moving traffic to 50 %");
    expect(progressText(view({ status: "paused", trafficPercent: 50 }))).toBe("Paused at 50 % of traffic");
    expect(progressText(view({ status: "queued", queuePosition: 2 }))).toBe(
      "Waiting in the queue: 2 deployments ahead of it",
    );
    expect(progressText(view({ phase: "analyse", skipPauses: true }))).toBe(
      "Checking health at 5 % of traffic (remaining pauses skipped)",
    );
    expect(progressText(view({ status: "succeeded" }))).toBeNull();
  });
});
