import "server-only";
import { branchAllowed } from "@/lib/domain/branches";
import { evaluateGates, failingGates, timeOpensGatesAt } from "@/lib/domain/gates";
import { sendInTransaction } from "@/lib/queue/send";
import { audit } from "../audit/record";
import { sqlOf, transaction, type Context, type Sql, type Tx } from "../context";
import { createDeployment } from "../deployments/create";
import { lockApplicationEnvironment, lockRelease } from "../releases/lock";
import { gateInput, readGateFacts } from "./gate-facts";
import { makeRoom } from "./promote";
import { ConflictError, NotFoundError } from "../errors";

/**
 * Auto-promotion: when a release is the candidate of an environment that promotes automatically
 * — what the stage before runs now, or for the first stage the application's newest release —
 * Greenlight promotes it itself as soon as every gate passes: the same transaction, locks and
 * gates as a person's promotion, audited as the system. It is asked whenever a gate may have
 * opened: the release was created, the stage before succeeded, an approval or a rejection's
 * withdrawal, a tick, a CI check, a change of the environment's rules, and the passing of time.
 * For that last one, a candidate held only by its soak time or a freeze window gets a job for
 * the moment they end (the autoPromote queue), which asks again then: durable, so it survives a
 * restart, and harmless twice, because the second ask finds the deployment the first made.
 * A gate that needs a person (an approval, a tick) leaves it waiting for that person's event.
 * Where the environment names branches to promote automatically (autoPromoteBranches), only
 * releases built from a matching branch are; the others wait for a person too (and the branch
 * rule gate still applies to both). Returns the deployment id, or null when nothing was promoted.
 */
export async function autoPromote(releaseId: string, environmentId: string, ctx: Context = {}): Promise<string | null> {
  const now = new Date();
  return transaction(ctx, async (tx) => {
    const environment = await tx.environment.findUnique({
      where: { id: environmentId },
      select: { autoPromote: true, autoPromoteBranches: true },
    });
    if (!environment?.autoPromote) return null;
    const release = await lockRelease(tx, releaseId);
    if (environment.autoPromoteBranches.length > 0) {
      const { branch } = await tx.release.findUniqueOrThrow({ where: { id: release.id }, select: { branch: true } });
      if (!branchAllowed(environment.autoPromoteBranches, branch)) return null;
    }
    await lockApplicationEnvironment(tx, release.applicationId, environmentId);
    // a release replaced in the stage before (or by a newer one, at the first stage) waits for nobody
    if (!(await isCandidate(tx, release.id, environmentId))) return null;
    const facts = await readGateFacts(tx, release.id, environmentId);
    if (!facts || facts.latest) return null;
    // after a rollback the application holds its version here until someone releases the hold
    const held = await tx.environmentHold.findUnique({
      where: { applicationId_environmentId: { applicationId: release.applicationId, environmentId } },
      select: { id: true },
    });
    if (held) return null;
    const input = gateInput(facts, now);
    const gates = evaluateGates(input);
    if (failingGates(gates).length > 0) {
      // held by time alone: ask again the moment it has passed
      const at = timeOpensGatesAt(input, gates);
      if (at) await scheduleAutoPromotion(tx, release.id, environmentId, at);
      return null;
    }
    // behind another deployment there, the queue policy decides (a refusing environment: a person later)
    let superseded: string[] = [];
    if (facts.busy) {
      try {
        superseded = await makeRoom(tx, {
          applicationId: release.applicationId,
          environment: { id: environmentId, name: facts.environment.name },
          version: facts.release.version,
        });
      } catch (e) {
        if (e instanceof ConflictError) return null;
        throw e;
      }
    }
    const deployment = await createDeployment(tx, {
      releaseId: release.id,
      applicationId: release.applicationId,
      environmentId,
      strategy: facts.environment.rolloutStrategy,
      triggeredBy: null,
      queuedAt: now,
    });
    await audit(tx, null, {
      action: "deployment.auto_promote",
      entityType: "Deployment",
      entityId: deployment.id,
      environmentId,
      after: {
        deploymentId: deployment.id,
        application: facts.release.applicationKey,
        version: facts.release.version,
        environment: facts.environment.name,
        gates: gates.map((g) => ({ key: g.key, passed: g.passed, detail: g.detail })),
        ...(deployment.waiting ? { queued: true } : {}),
      },
    });
    for (const id of superseded)
      await audit(tx, null, {
        action: "deployment.cancel",
        entityType: "Deployment",
        entityId: id,
        environmentId,
        before: { status: "queued" },
        after: { status: "cancelled", reason: `superseded by ${facts.release.version}` },
      });
    return deployment.id;
  });
}

/** A job that asks autoPromote again at `at` (not before a second from now: no busy loop). */
async function scheduleAutoPromotion(tx: Tx, releaseId: string, environmentId: string, at: Date) {
  const startAfter = new Date(Math.max(at.getTime(), Date.now() + 1000));
  await sendInTransaction(
    tx,
    "autoPromote",
    { releaseId, environmentId },
    { startAfter, singletonKey: `${releaseId}:${environmentId}:${at.toISOString()}` },
  );
}

/**
 * Whether the release is the one the environment waits for: at a later stage, what the stage
 * before runs now (its latest successful deployment there, a rollback's included); at the first
 * stage, the application's newest release.
 */
export async function isCandidate(sql: Sql, releaseId: string, environmentId: string): Promise<boolean> {
  const [row] = await sql.$queryRaw<{ candidate: boolean }[]>`
    select case when p.id is null then not exists (
        select 1 from "Release" n where n."applicationId" = r."applicationId" and (n."createdAt", n.id) > (r."createdAt", r.id))
      else (select d."releaseId" from "Deployment" d
        where d."applicationId" = r."applicationId" and d."environmentId" = p.id and d.status = 'succeeded'
        order by d."finishedAt" desc nulls last, d."queuedAt" desc limit 1) = r.id
      end as candidate
    from "Release" r
    join "Environment" e on e.id = ${environmentId}::uuid
    left join lateral (select pe.id from "Environment" pe where pe.position < e.position order by pe.position desc limit 1) p on true
    where r.id = ${releaseId}::uuid`;
  return row?.candidate ?? false;
}

/**
 * Asks autoPromote for every candidate of the environments that promote automatically (or of
 * one environment): after a change of its rules (auto-promotion turned on, a shorter soak, a
 * freeze window removed), and once when a worker starts, for candidates that never had an
 * event of their own (a preset's history) or whose job was lost. Returns the deployments made.
 */
export async function autoPromoteWhatWaits(ctx: Context = {}, environmentId: string | null = null): Promise<string[]> {
  const candidates = await sqlOf(ctx).$queryRaw<{ releaseId: string; environmentId: string }[]>`
      with stages as (
        select e.id, e."autoPromote",
          (select pe.id from "Environment" pe where pe.position < e.position order by pe.position desc limit 1) as previous
        from "Environment" e
      )
      select live."releaseId", s.id as "environmentId"
      from stages s
      join "Application" a on true
      cross join lateral (
        select d."releaseId" from "Deployment" d
        where d."applicationId" = a.id and d."environmentId" = s.previous and d.status = 'succeeded'
        order by d."finishedAt" desc nulls last, d."queuedAt" desc limit 1) live
      where s."autoPromote" and s.previous is not null and (${environmentId}::uuid is null or s.id = ${environmentId}::uuid)
        and not exists (select 1 from "Deployment" x where x."releaseId" = live."releaseId" and x."environmentId" = s.id)
      union all
      select newest.id, s.id
      from stages s
      join "Application" a on true
      cross join lateral (
        select r.id from "Release" r where r."applicationId" = a.id order by r."createdAt" desc, r.id desc limit 1) newest
      where s."autoPromote" and s.previous is null and (${environmentId}::uuid is null or s.id = ${environmentId}::uuid)
        and not exists (select 1 from "Deployment" x where x."releaseId" = newest.id and x."environmentId" = s.id)`;
  const made: string[] = [];
  // without the caller's transaction, one each: one candidate's failure must not undo another's promotion
  for (const candidate of candidates) {
    const id = await autoPromote(candidate.releaseId, candidate.environmentId, ctx).catch(goneIsNothing);
    if (id) made.push(id);
  }
  return made;
}

/** A release deleted (its application removed) since: there is nothing left to promote. */
function goneIsNothing(e: unknown): null {
  if (e instanceof NotFoundError) return null;
  throw e;
}

/**
 * The autoPromote job (lib/queue/queues.ts): the moment a soak time or a freeze window ended.
 * Asks autoPromote again, in a transaction of its own; a job for a release promoted since, by a
 * person or by an earlier delivery of this job, finds its deployment and does nothing.
 */
export async function runScheduledAutoPromotion(releaseId: string, environmentId: string): Promise<string | null> {
  return autoPromote(releaseId, environmentId).catch(goneIsNothing);
}

/**
 * After an environment's rules changed (its settings, a freeze window removed): its candidates
 * are asked again. The change itself is saved whatever happens here; a failure is logged, and
 * the worker's next start asks again.
 */
export async function promoteWhatNowPasses(ctx: Context, environmentId: string): Promise<void> {
  try {
    await autoPromoteWhatWaits(ctx, environmentId);
  } catch (e) {
    if (ctx.tx) throw e;
    console.error(`auto-promotion after a change of rules: ${(e as Error).message}`);
  }
}
