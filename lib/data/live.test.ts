import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import type { Actor, UserActor } from "../domain/access";
import { toDbPermission, type Permission } from "../domain/permissions";
import type { Permission as DbPermission } from "../generated/prisma/client";
import { actorWith, userWithRoles } from "../test/actors";
import { resetDatabase } from "../test/reset";
import { hashToken, tokenActor } from "../session";
import { ForbiddenError } from "./errors";
import { changeStamp } from "./live";
import { loadPreset } from "../presets/load";
import { tokenOwnerId } from "../test/tokens";

let developer: UserActor;
let deploymentId: string;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  developer = await userWithRoles(["developer"]);
  const application = await db().application.findFirstOrThrow({ select: { id: true } });
  const environment = await db().environment.findFirstOrThrow({ orderBy: { position: "asc" } });
  const release = await db().release.create({
    data: { applicationId: application.id, version: "9.9.9", commitSha: "abcdef1", title: "Live", changelog: "" },
  });
  const deployment = await db().deployment.create({
    data: { releaseId: release.id, applicationId: application.id, environmentId: environment.id },
  });
  deploymentId = deployment.id;
});

async function token(permissions: Permission[]): Promise<Actor> {
  const plaintext = `glt_${randomBytes(24).toString("base64url")}`;
  await db().apiToken.create({
    data: {
      name: `live-${plaintext.slice(4, 10)}`,
      prefix: plaintext.slice(0, 8),
      tokenHash: hashToken(plaintext),
      ownerId: await tokenOwnerId(),
      permissions: permissions.map((p) => toDbPermission(p) as DbPermission),
    },
  });
  const actor = await tokenActor(`Bearer ${plaintext}`);
  if (!actor) throw new Error("test token did not load");
  return actor;
}

describe("changeStamp", () => {
  it("is a short string that stays the same while nothing changes", async () => {
    const first = await changeStamp(developer);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await changeStamp(developer)).toBe(first);
    // reads and other tables the pages do not show leave it alone
    await db().user.update({ where: { id: developer.id }, data: { name: "Renamed" } });
    expect(await changeStamp(developer)).toBe(first);
  });

  it("changes after an audit event, even two in the same millisecond", async () => {
    const before = await changeStamp(developer);
    const at = new Date();
    await db().auditEvent.create({ data: { at, actorLabel: "test", action: "test.one", entityType: "Test" } });
    const afterOne = await changeStamp(developer);
    expect(afterOne).not.toBe(before);
    await db().auditEvent.create({ data: { at, actorLabel: "test", action: "test.two", entityType: "Test" } });
    expect(await changeStamp(developer)).not.toBe(afterOne);
  });

  it("changes after a deployment log line", async () => {
    const before = await changeStamp(developer);
    await db().deploymentLogLine.create({ data: { deploymentId, line: "pulling image" } });
    expect(await changeStamp(developer)).not.toBe(before);
  });

  it("changes with every status a deployment goes through", async () => {
    const queued = await changeStamp(developer);
    await db().deployment.update({ where: { id: deploymentId }, data: { status: "RUNNING", startedAt: new Date() } });
    const running = await changeStamp(developer);
    expect(running).not.toBe(queued);
    await db().deployment.update({
      where: { id: deploymentId },
      data: { status: "SUCCEEDED", finishedAt: new Date() },
    });
    const succeeded = await changeStamp(developer);
    expect(succeeded).not.toBe(running);
    expect(succeeded).not.toBe(queued);
    expect(await changeStamp(developer)).toBe(succeeded);
  });

  it("changes when a deployment is queued", async () => {
    const before = await changeStamp(developer);
    const existing = await db().deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    await db().deployment.create({
      data: {
        releaseId: existing.releaseId,
        applicationId: existing.applicationId,
        environmentId: existing.environmentId,
        queuedAt: new Date(existing.queuedAt.getTime() + 1000),
      },
    });
    expect(await changeStamp(developer)).not.toBe(before);
  });

  it("is the same for every watcher, people and tokens", async () => {
    const viewer = await token(["environment.view"]);
    expect(await changeStamp(viewer)).toBe(await changeStamp(developer));
  });

  it("refuses whoever may see no environment, without an audit row per poll", async () => {
    const nobody = await userWithRoles([]);
    const globalOnly = await actorWith(["user.manage"], []);
    const blindToken = await token(["release.create"]);
    const audited = await db().auditEvent.count();
    for (const actor of [nobody, globalOnly, blindToken])
      await expect(changeStamp(actor)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditEvent.count()).toBe(audited);
  });
});
