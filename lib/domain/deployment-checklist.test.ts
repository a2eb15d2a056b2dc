import { describe, expect, it } from "vitest";
import { DEPLOYMENT_STATUSES } from "./deployment-state";
import { checklistKeepsLive, deploymentChecklistClosed, phaseOfSection } from "./deployment-checklist";

describe("a deployment's checklist", () => {
  it("reads the phase a section implies, before promotion otherwise", () => {
    expect(phaseOfSection("Deployment")).toBe("during");
    expect(phaseOfSection(" post-deployment ")).toBe("after");
    expect(phaseOfSection("Pre-deployment")).toBe("before");
    expect(phaseOfSection(null)).toBe("before");
  });

  it("opens during items once the deployment started, after items once it ended, nothing once cancelled", () => {
    const open = (phase: "during" | "after") =>
      DEPLOYMENT_STATUSES.filter((status) => deploymentChecklistClosed(phase, status) === null);
    expect(open("during")).toEqual(["running", "paused", "rolling_back", "succeeded", "failed", "rolled_back"]);
    expect(open("after")).toEqual(["succeeded", "failed", "rolled_back"]);
  });

  it("keeps a page live while an item is open, up to a day after the end", () => {
    const now = new Date("2026-12-03T12:00:00Z");
    const open = [{ checked: true }, { checked: false }];
    expect(checklistKeepsLive("running", null, open, now)).toBe(true);
    expect(checklistKeepsLive("succeeded", new Date("2026-12-03T01:00:00Z"), open, now)).toBe(true);
    expect(checklistKeepsLive("succeeded", new Date("2026-12-01T12:00:00Z"), open, now)).toBe(false);
    expect(checklistKeepsLive("succeeded", null, [{ checked: true }], now)).toBe(false);
    expect(checklistKeepsLive("cancelled", null, open, now)).toBe(false);
  });
});
