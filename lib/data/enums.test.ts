import { describe, expect, it } from "vitest";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-state";
import { DEPLOY_PROVIDER_KINDS, LOG_STREAMS } from "@/lib/domain/deploy-providers";
import { ROLLOUT_STRATEGIES } from "@/lib/domain/rollout";
import { deploymentStatusEnum, fromSql, logStreamEnum, providerKindEnum, strategyEnum } from "./enums";

// The mapping between the domain's names and the Prisma client's enums is one-to-one, both ways.

describe("enum mapping", () => {
  it.each([
    ["deployment status", DEPLOYMENT_STATUSES, deploymentStatusEnum],
    ["rollout strategy", ROLLOUT_STRATEGIES, strategyEnum],
    ["provider kind", DEPLOY_PROVIDER_KINDS, providerKindEnum],
    ["log stream", LOG_STREAMS, logStreamEnum],
  ] as const)("maps every %s there and back", (_what, names, mapping) => {
    const toDb = mapping.toDb as (v: string) => string;
    const fromDb = mapping.fromDb as (v: string) => string;
    const db = names.map(toDb);
    expect(new Set(db).size).toBe(names.length);
    expect(db.map(fromDb)).toEqual([...names]);
  });

  it("reads the database's own spelling from raw SQL and refuses anything else", () => {
    expect(fromSql(DEPLOYMENT_STATUSES, "rolled_back", "deployment status")).toBe("rolled_back");
    expect(() => fromSql(DEPLOYMENT_STATUSES, "ROLLED_BACK", "deployment status")).toThrow(
      "unknown deployment status ROLLED_BACK",
    );
    expect(() => fromSql(ROLLOUT_STRATEGIES, "big_bang", "rollout strategy")).toThrow("unknown rollout strategy");
  });
});
