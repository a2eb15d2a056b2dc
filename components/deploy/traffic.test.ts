import { describe, expect, it } from "vitest";
import { trafficSplit } from "./traffic";

const base = {
  kind: "promotion" as const,
  release: { id: "r2", version: "2.4.0", title: null },
  previousRelease: { id: "r1", version: "2.3.1" },
  color: "green" as const,
  previousColor: "blue" as const,
};

describe("trafficSplit", () => {
  it("splits between the incoming release and what ran before, naming the colours", () => {
    const split = trafficSplit({ ...base, trafficPercent: 5 });
    expect(split.next).toEqual({ version: "2.4.0", color: "green", percent: 5, incoming: true });
    expect(split.previous).toEqual({ version: "2.3.1", color: "blue", percent: 95, incoming: false });
    expect(split.text).toBe("2.4.0 (green) takes 5 % of traffic; 2.3.1 (blue) takes 95 %.");
  });

  it("says when one side takes everything", () => {
    expect(trafficSplit({ ...base, trafficPercent: 0 }).text).toBe(
      "All traffic goes to 2.3.1 (blue); 2.4.0 (green) takes none yet.",
    );
    expect(trafficSplit({ ...base, color: null, previousColor: null, trafficPercent: 100 }).text).toBe(
      "All traffic goes to 2.4.0; 2.3.1 takes none.",
    );
  });

  it("keeps the percentage within 0–100 and says when nothing ran before", () => {
    const split = trafficSplit({ ...base, previousRelease: null, previousColor: null, trafficPercent: 140 });
    expect(split.next.percent).toBe(100);
    expect(split.previous).toMatchObject({ version: "Nothing", percent: 0 });
    expect(split.text).toBe("2.4.0 (green) takes 100 % of traffic; nothing ran here before it.");
    expect(trafficSplit({ ...base, trafficPercent: Number.NaN }).next.percent).toBe(0);
  });
});
