import { describe, expect, it } from "vitest";
import { parseRolloutSteps, rolloutPlan, rolloutStepsProblem, STRATEGY_LABELS, ROLLOUT_STRATEGIES } from "./rollout";

describe("rollout steps", () => {
  it("keeps the well-formed steps of stored JSON and drops the rest", () => {
    expect(
      parseRolloutSteps([
        { percent: 5, pauseSeconds: 300 },
        { percent: 50 },
        { percent: 101 },
        { percent: "10" },
        null,
        { percent: 100, pauseSeconds: -1 },
      ]),
    ).toEqual([
      { percent: 5, pauseSeconds: 300 },
      { percent: 50, pauseSeconds: 0 },
      { percent: 100, pauseSeconds: 0 },
    ]);
    expect(parseRolloutSteps("nonsense")).toEqual([]);
    expect(parseRolloutSteps(null)).toEqual([]);
  });

  it.each([
    [
      [
        { percent: 5, pauseSeconds: 300 },
        { percent: 50, pauseSeconds: 300 },
        { percent: 100, pauseSeconds: 0 },
      ],
      null,
    ],
    [
      [
        { percent: 1, pauseSeconds: 0 },
        { percent: 10, pauseSeconds: 0 },
        { percent: 50, pauseSeconds: 0 },
        { percent: 100, pauseSeconds: 0 },
      ],
      null,
    ],
    [
      [
        { percent: 50, pauseSeconds: 0 },
        { percent: 10, pauseSeconds: 0 },
      ],
      "Step 2: each step must send more traffic than the one before",
    ],
    [[{ percent: 0, pauseSeconds: 0 }], "Step 1: traffic must be a whole percentage from 1 to 100"],
    [[{ percent: 2.5, pauseSeconds: 0 }], "Step 1: traffic must be a whole percentage from 1 to 100"],
    [[{ percent: 5, pauseSeconds: 90_000 }], "Step 1: the pause must be between 0 and 86400 seconds"],
  ])("checks a plan %j", (steps, problem) => {
    expect(rolloutStepsProblem(steps)).toBe(problem);
  });

  it("plans a direct deploy as one full step and always ends a gradual one at 100 %", () => {
    const steps = [
      { percent: 5, pauseSeconds: 300 },
      { percent: 50, pauseSeconds: 300 },
    ];
    expect(rolloutPlan("direct", steps)).toEqual([{ percent: 100, pauseSeconds: 0 }]);
    expect(rolloutPlan("canary", [])).toEqual([{ percent: 100, pauseSeconds: 0 }]);
    expect(rolloutPlan("canary", steps)).toEqual([...steps, { percent: 100, pauseSeconds: 0 }]);
    expect(rolloutPlan("blue_green", [...steps, { percent: 100, pauseSeconds: 0 }])).toEqual([
      ...steps,
      { percent: 100, pauseSeconds: 0 },
    ]);
  });

  it("labels every strategy", () => {
    for (const s of ROLLOUT_STRATEGIES) expect(STRATEGY_LABELS[s]).toMatch(/^[A-Z]/);
  });
});
