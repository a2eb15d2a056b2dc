import "server-only";
import { z } from "zod";
import type { Actor, UserActor } from "@/lib/domain/access";
import { transaction } from "../context";
import { audit, type Tx } from "../audit/record";
import { ConflictError, ForbiddenError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { defineOperation, type OperationEnvironment } from "../operation";
import { lockRelease } from "../releases/lock";
import { autoPromote } from "./auto-promote";

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

interface DecisionContext {
  /** the status of a deploy of the release there that makes decisions final, if any */
  started: string | null;
  preventSelfApproval: boolean;
  /** the role through which the user holds release.approve here (the first, by key) */
  roleKey: string | null;
  before: { decision: string; comment: string | null; roleKey: string } | null;
}

/** Everything a decision checks, read in one statement under the release's lock. */
async function decisionContext(tx: Tx, releaseId: string, environmentId: string, userId: string) {
  const [row] = await tx.$queryRaw<DecisionContext[]>`
    select
      (select d.status::text from "Deployment" d
        where d."releaseId" = ${releaseId}::uuid and d."environmentId" = e.id
          and d.status in ('queued', 'running', 'succeeded') limit 1) as started,
      e."preventSelfApproval",
      (select ro.key from "UserRole" ur
        join "Role" ro on ro.id = ur."roleId"
        join "EnvironmentPermission" ep on ep."roleId" = ro.id and ep."environmentId" = e.id
        where ur."userId" = ${userId}::uuid and 'release.approve'::"Permission" = any(ep.permissions)
        order by ro.key limit 1) as "roleKey",
      (select json_build_object('decision', ap.decision, 'comment', ap.comment, 'roleKey', ap."roleKey")
        from "Approval" ap
        where ap."releaseId" = ${releaseId}::uuid and ap."environmentId" = e.id and ap."userId" = ${userId}::uuid) as before
    from "Environment" e where e.id = ${environmentId}::uuid`;
  return row!;
}

function refuseOnceStarted(context: DecisionContext, environment: OperationEnvironment) {
  if (context.started)
    throw new ConflictError(
      `The promotion to ${environment.name} has started (${context.started}); decisions can no longer change`,
    );
}

export const decideApproval = defineOperation({
  name: "approval.decide",
  permission: "release.approve",
  input: decideInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }) {
    const user = person(actor);
    return transaction(ctx, async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      const context = await decisionContext(tx, release.id, environment.id, user.id);
      refuseOnceStarted(context, environment);
      if (input.decision === "approved" && release.createdById === user.id && context.preventSelfApproval)
        throw new ForbiddenError(
          `You created this release, and ${environment.name} does not accept its author's own approval`,
        );
      // authorize() already checked the permission; a concurrent matrix change lands here
      if (!context.roleKey) throw new ForbiddenError(`You may not approve releases in ${environment.name}`);
      const after = { decision: input.decision, comment: input.comment || null, roleKey: context.roleKey };
      // one decision per person: a repeat replaces it (the unique key orders concurrent ones)
      const [saved] = await tx.$queryRaw<{ id: string; updatedAt: Date }[]>`
        insert into "Approval" (id, "releaseId", "environmentId", "userId", decision, comment, "roleKey", "updatedAt")
        values (gen_random_uuid(), ${release.id}::uuid, ${environment.id}::uuid, ${user.id}::uuid,
          ${after.decision}::"ApprovalDecision", ${after.comment}, ${after.roleKey}, now())
        on conflict ("releaseId", "environmentId", "userId") do update
          set decision = excluded.decision, comment = excluded.comment, "roleKey" = excluded."roleKey", "updatedAt" = now()
        returning id, "updatedAt"`;
      await audit(tx, actor, {
        action: input.decision === "approved" ? "release.approve" : "release.reject",
        entityType: "Release",
        entityId: release.id,
        environmentId: environment.id,
        before: context.before,
        after,
      });
      // the last approval needed may open the gate of a stage that promotes automatically
      if (input.decision === "approved") await autoPromote(release.id, environment.id, { tx });
      return { id: saved!.id, ...after, decidedAt: saved!.updatedAt };
    });
  },
});

export const withdrawApproval = defineOperation({
  name: "approval.withdraw",
  permission: "release.approve",
  input: z.object(target),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  async run({ actor, input, environment, ctx }) {
    const user = person(actor);
    return transaction(ctx, async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      const context = await decisionContext(tx, release.id, environment.id, user.id);
      refuseOnceStarted(context, environment);
      const key = { releaseId: release.id, environmentId: environment.id, userId: user.id };
      const { before } = context;
      // withdrawing twice (a double click, a retry) is not an error: there is simply nothing left
      if (!before) return { withdrawn: null };
      await tx.approval.delete({ where: { releaseId_environmentId_userId: key } });
      await audit(tx, actor, {
        action: "release.decision.withdraw",
        entityType: "Release",
        entityId: release.id,
        environmentId: environment.id,
        before,
        after: null,
      });
      // a rejection withdrawn may be all that held the release
      if (before.decision === "rejected") await autoPromote(release.id, environment.id, { tx });
      return { withdrawn: before.decision as "approved" | "rejected" };
    });
  },
});
