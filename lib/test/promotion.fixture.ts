import { randomUUID } from "node:crypto";
import { db } from "../db";
import { actorWith } from "./actors";
import type { UserActor } from "../domain/access";
import type { Permission } from "../domain/permissions";

// A three-stage pipeline for the promotion tests (imported by *.test.ts only):
//   development → staging (checklist: 2 required items, 1 optional) → production (protected,
//   2 approvals, the author's own does not count). Every application deploys with a real command.

export interface PromotionWorld {
  env: { development: string; staging: string; production: string };
  applicationId: string;
  developer: UserActor;
  qa: UserActor;
  approvers: UserActor[];
  manager: UserActor;
}

export const SUCCEED = { command: "node", args: ["-e", "console.log('deploying ' + process.env.GREENLIGHT_VERSION)"] };

export async function insertPromotionWorld(
  options: { approvers?: number; deploy?: object } = {},
): Promise<PromotionWorld> {
  const mk = (key: string, position: number, extra: object = {}) =>
    db().environment.create({ data: { key, name: key[0]!.toUpperCase() + key.slice(1), position, ...extra } });
  const development = await mk("development", 0);
  const staging = await mk("staging", 1);
  const production = await mk("production", 2, { protected: true, requiredApprovals: 2, preventSelfApproval: true });
  await db().checklistTemplate.create({
    data: {
      environmentId: staging.id,
      name: "Testing in Staging",
      items: {
        create: [
          { position: 0, label: "Smoke tests pass", required: true },
          { position: 1, label: "Regression suite green", required: true, hint: "Run the nightly suite" },
          { position: 2, label: "Screenshots attached", required: false },
        ],
      },
    },
  });
  const app = await db().application.create({ data: { key: "storefront", name: "Storefront" } });
  for (const environmentId of [development.id, staging.id, production.id])
    await db().deployTarget.create({
      data: {
        applicationId: app.id,
        environmentId,
        provider: "COMMAND",
        config: options.deploy ?? SUCCEED,
        timeoutSeconds: 20,
      },
    });
  const all = [development.id, staging.id, production.id];
  const developer = await actorWith(
    ["environment.view", "release.create", "deploy.trigger"] satisfies Permission[],
    all,
  );
  const qa = await actorWith(["environment.view", "checklist.tick"], [staging.id]);
  const approvers: UserActor[] = [];
  for (let i = 0; i < (options.approvers ?? 2); i++)
    approvers.push(await actorWith(["environment.view", "release.approve"], [production.id]));
  const manager = await actorWith(["environment.view", "deploy.trigger", "environment.manage"], all);
  return {
    env: { development: development.id, staging: staging.id, production: production.id },
    applicationId: app.id,
    developer,
    qa,
    approvers,
    manager,
  };
}

/** A release by `authorId`, already deployed successfully up to `upTo` (exclusive of later stages). */
export async function releaseAt(world: PromotionWorld, authorId: string | null, succeededIn: string[]) {
  const release = await db().release.create({
    data: {
      applicationId: world.applicationId,
      version: `1.0.${Math.floor(Math.random() * 1e9)}`,
      commitSha: randomUUID().replaceAll("-", "").slice(0, 40),
      title: "A release",
      createdById: authorId,
    },
  });
  for (const environmentId of succeededIn)
    await db().deployment.create({
      data: {
        releaseId: release.id,
        applicationId: world.applicationId,
        environmentId,
        status: "SUCCEEDED",
        queuedAt: new Date(Date.now() - 7_200_000),
        startedAt: new Date(Date.now() - 7_200_000),
        finishedAt: new Date(Date.now() - 3_600_000),
      },
    });
  return release;
}
