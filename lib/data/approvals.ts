import "server-only";
import { z } from "zod";
import type { Actor, UserActor } from "@/lib/domain/access";
import { db } from "../db";
import { audit, type Tx } from "./audit";
import { ConflictError, ForbiddenError } from "./errors";
import { environmentByKey } from "./flags";
import { defineOperation, type OperationEnvironment } from "./operation";
import { lockRelease } from "./release-lock";

// Approve or reject a release's promotion into an environment. One decision per person, which
// they may change or withdraw until the promotion starts; a rejection needs a reason and blocks
// the promotion until its author withdraws it. Every decision locks the release row, so it is
// ordered against a concurrent promotion: it lands before (and counts) or is refused after.

export const MAX_COMMENT = 2000;

const target = {
  releaseId: z.guid("Not a release id"),
  environmentKey: z.string().trim().min(1).max(100),
};

const decideInput = z
  .object({
    ...target,
    decision: z.enum(["approved", "rejected"], "Choose approve or reject"),
    comment: z.string().trim().max(MAX_COMMENT, `At most ${MAX_COMMENT} characters`).optional(),
  })
  .refine((v) => v.decision === "approved" || (v.comment ?? "").length > 0, {
    path: ["comment"],
    message: "Say why you reject this release",
  });

function person(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new ForbiddenError("Approvals are given by people, not by API tokens");
  return actor;
}

/** The role through which the user holds release.approve here (the first, by key). */
async function approvingRole(tx: Tx, userId: string, environmentId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ key: string }[]>`
    select ro.key from "UserRole" ur
    join "Role" ro on ro.id = ur."roleId"
    join "EnvironmentPermission" ep on ep."roleId" = ro.id and ep."environmentId" = ${environmentId}::uuid
    where ur."userId" = ${userId}::uuid and 'release.approve'::"Permission" = any(ep.permissions)
    order by ro.key limit 1`;
  // authorize() already checked the permission; a token or a concurrent matrix change lands here
  if (!row) throw new ForbiddenError("You may not approve releases in this environment");
  return row.key;
}

/** Decisions are final once a deploy of the release into the environment is queued, running or done. */
async function refuseOnceStarted(tx: Tx, releaseId: string, environment: OperationEnvironment) {
  const [started] = await tx.$queryRaw<{ status: string }[]>`
    select status::text from "Deployment"
    where "releaseId" = ${releaseId}::uuid and "environmentId" = ${environment.id}::uuid
      and status in ('queued', 'running', 'succeeded')
    limit 1`;
  if (started)
    throw new ConflictError(
      `The promotion to ${environment.name} has started (${started.status}); decisions can no longer change`,
    );
}

export const decideApproval = defineOperation({
  name: "approval.decide",
  permission: "release.approve",
  input: decideInput,
  environment: (input) => environmentByKey(input.environmentKey),
  async run(actor, input, env) {
    const user = person(actor);
    const environment = env!;
    return db().$transaction(async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      await refuseOnceStarted(tx, release.id, environment);
      if (input.decision === "approved" && release.createdById === user.id) {
        const { preventSelfApproval } = await tx.environment.findUniqueOrThrow({
          where: { id: environment.id },
          select: { preventSelfApproval: true },
        });
        if (preventSelfApproval)
          throw new ForbiddenError(
            `You created this release, and ${environment.name} does not accept its author's own approval`,
          );
      }
      const roleKey = await approvingRole(tx, user.id, environment.id);
      const key = { releaseId: release.id, environmentId: environment.id, userId: user.id };
      const before = await tx.approval.findUnique({
        where: { releaseId_environmentId_userId: key },
        select: { decision: true, comment: true, roleKey: true },
      });
      const data = {
        decision: input.decision === "approved" ? "APPROVED" : "REJECTED",
        comment: input.comment || null,
        roleKey,
      } as const;
      const saved = await tx.approval.upsert({
        where: { releaseId_environmentId_userId: key },
        create: { ...key, ...data },
        update: data,
        select: { id: true, updatedAt: true },
      });
      const after = { decision: input.decision, comment: data.comment, roleKey };
      await audit(tx, actor, {
        action: input.decision === "approved" ? "release.approve" : "release.reject",
        entityType: "Release",
        entityId: release.id,
        environmentId: environment.id,
        before: before
          ? { decision: before.decision.toLowerCase(), comment: before.comment, roleKey: before.roleKey }
          : null,
        after,
      });
      return { id: saved.id, ...after, decidedAt: saved.updatedAt };
    });
  },
});

export const withdrawApproval = defineOperation({
  name: "approval.withdraw",
  permission: "release.approve",
  input: z.object(target),
  environment: (input) => environmentByKey(input.environmentKey),
  async run(actor, input, env) {
    const user = person(actor);
    const environment = env!;
    return db().$transaction(async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      await refuseOnceStarted(tx, release.id, environment);
      const key = { releaseId: release.id, environmentId: environment.id, userId: user.id };
      const before = await tx.approval.findUnique({
        where: { releaseId_environmentId_userId: key },
        select: { decision: true, comment: true, roleKey: true },
      });
      // withdrawing twice (a double click, a retry) is not an error: there is simply nothing left
      if (!before) return { withdrawn: null };
      await tx.approval.delete({ where: { releaseId_environmentId_userId: key } });
      await audit(tx, actor, {
        action: "release.decision.withdraw",
        entityType: "Release",
        entityId: release.id,
        environmentId: environment.id,
        before: { decision: before.decision.toLowerCase(), comment: before.comment, roleKey: before.roleKey },
        after: null,
      });
      return { withdrawn: before.decision.toLowerCase() as "approved" | "rejected" | null };
    });
  },
});
