import "server-only";
import { noInput } from "../input";
import { defineOperation } from "../operation";
import { cache } from "react";
import { can, type Actor, type UserActor } from "@/lib/domain/access";
import { db } from "../../db";
import { readGateFactsMany, type GateFacts } from "./gate-facts";

// What waits for the signed-in user: the (release, environment) pairs of the board's waiting
// cells where they can move things on, by an approval they may still give or a required
// checklist item they may tick (the target's pre-deployment checklist, or the "while it runs
// there" checklist of the stage before). The header shows the count on every page, so this is
// TWO statements — the waiting cells, then their gate facts through the same reader as the
// release page — none for a user who may neither approve nor tick anywhere, and it is shared
// with the board through React's per-request cache.

export type WorkReason = "approve" | "tick";

export interface WorkItem {
  releaseId: string;
  applicationId: string;
  applicationKey: string;
  version: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
  reasons: WorkReason[];
}

export interface PendingWork {
  count: number;
  items: WorkItem[];
  /** flag change requests the user may still approve or reject (the count beside "Flags") */
  flagChanges: number;
}

/** The facts the definition needs about one waiting (release, environment) pair. */
export interface WorkFacts {
  environmentId: string;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  authorId: string | null;
  /** the user has a decision (approval or rejection) on it there */
  decided: boolean;
  /** a deploy of the release there is queued, running or done: decisions are final, nothing waits */
  started: boolean;
  /** environments whose gating checklist has a required item a person may tick not ticked (template items count, before the copy) */
  openRequiredIn: string[];
}

/** Why `actor` may move the pair on; empty when nothing there waits for them. */
export function workReasons(actor: UserActor, facts: WorkFacts): WorkReason[] {
  if (facts.started) return [];
  const reasons: WorkReason[] = [];
  const isPreventedAuthor = facts.preventSelfApproval && facts.authorId === actor.id;
  if (
    facts.requiredApprovals > 0 &&
    can(actor, "release.approve", facts.environmentId) &&
    !facts.decided &&
    !isPreventedAuthor
  )
    reasons.push("approve");
  if (facts.openRequiredIn.some((id) => can(actor, "checklist.tick", id))) reasons.push("tick");
  return reasons;
}

type Row = Omit<WorkItem, "reasons">;

/** The definition's facts, from the gate facts the release page shows. */
export function workFactsOf(facts: GateFacts, userId: string): WorkFacts {
  return {
    environmentId: facts.environment.id,
    requiredApprovals: facts.environment.requiredApprovals,
    preventSelfApproval: facts.environment.preventSelfApproval,
    authorId: facts.release.authorId,
    decided: facts.decisions.some((d) => d.userId === userId),
    started: ["queued", "running", "succeeded"].includes(facts.latest?.status ?? ""),
    // a CI-only item waits for its check, not for a person
    openRequiredIn: [
      ...new Set(facts.checklist.filter((c) => c.required && !c.checked && !c.ciOnly).map((c) => c.environmentId)),
    ],
  };
}

const none = (): PendingWork => ({ count: 0, items: [], flagChanges: 0 });

/** The user's pending work, closest to production first. Tokens have none. */
const readPendingWork = async (actor: Actor): Promise<PendingWork> => {
  if (actor.kind !== "user") return none();
  const ids = [...actor.byEnvironment.keys()];
  const visible = ids.filter((id) => can(actor, "environment.view", id));
  const approve = visible.filter((id) => can(actor, "release.approve", id));
  const tick = visible.filter((id) => can(actor, "checklist.tick", id));
  const flagApprove = visible.filter((id) => can(actor, "flag.approve", id));
  if (approve.length === 0 && tick.length === 0 && flagApprove.length === 0) return none();

  // What waits for an environment is built as the board builds it (lib/domain/pipeline.ts) over
  // the environments the user sees: what runs in the stage before when newer than what runs
  // here; for the first stage, the newest release that never ran successfully anywhere. The
  // header's two counts come from this one statement: the flag change requests waiting for the
  // user ride along as a one-row CTE the waiting pairs are joined to.
  const rows = await db().$queryRaw<(Partial<Row> & { flagChanges: number })[]>`
    with stages as (
      select e.id, e.key, e.name, e.position, e."requiredApprovals", e."preventSelfApproval",
        lag(e.id) over (order by e.position, e.key) as "previousId"
      from "Environment" e where e.id = any(${visible}::uuid[])
    ),
    flag_changes as (
      select count(*)::int as n from "FlagChangeRequest" f
      where f.status = 'pending' and f."environmentId" = any(${flagApprove}::uuid[])
        and f."authorId" is distinct from ${actor.id}::uuid
        and not exists (select 1 from "FlagChangeDecision" fd where fd."requestId" = f.id and fd."userId" = ${actor.id}::uuid)
    ),
    waiting as (
      select c.id as "releaseId", a.id as "applicationId", a.key as "applicationKey", c.version,
        s.id as "environmentId", s.key as "environmentKey", s.name as "environmentName",
        s.position, a.name as "applicationName"
      from stages s
      cross join "Application" a
      left join lateral (
        select r.id, r."createdAt" from "Deployment" d join "Release" r on r.id = d."releaseId"
        where d."applicationId" = a.id and d."environmentId" = s.id and d.status = 'succeeded' and d."finishedAt" is not null
        order by d."finishedAt" desc limit 1
      ) here on true
      cross join lateral (
        (select r.id, r.version, r."createdAt", r."createdById" from "Deployment" d join "Release" r on r.id = d."releaseId"
          where s."previousId" is not null and d."applicationId" = a.id and d."environmentId" = s."previousId"
            and d.status = 'succeeded' and d."finishedAt" is not null
          order by d."finishedAt" desc limit 1)
        union all
        (select r.id, r.version, r."createdAt", r."createdById" from "Release" r
          where s."previousId" is null and r."applicationId" = a.id
            and r."createdAt" >= coalesce(here."createdAt", '-infinity'::timestamp)
            and (here.id is null or (r."createdAt", r.id) > (here."createdAt", here.id))
            and not exists (select 1 from "Deployment" d where d."releaseId" = r.id and d.status = 'succeeded')
          order by r."createdAt" desc, r.id desc limit 1)
      ) c
      -- where the user may approve, or tick the target's checklist or the stage before's
      where (s.id = any(${approve}::uuid[]) or s.id = any(${tick}::uuid[]) or s."previousId" = any(${tick}::uuid[]))
        and (here.id is null or (c."createdAt", c.id) > (here."createdAt", here.id))
    )
    select f.n as "flagChanges", w."releaseId", w."applicationId", w."applicationKey", w.version,
      w."environmentId", w."environmentKey", w."environmentName"
    from flag_changes f left join waiting w on true
    order by w.position desc, w."environmentKey", w."applicationName", w."applicationKey"`;
  const flagChanges = rows[0]?.flagChanges ?? 0;
  const pairs = rows.filter((r): r is Row & { flagChanges: number } => r.releaseId != null);

  const facts = await readGateFactsMany(
    db(),
    pairs.map((r) => ({ releaseId: r.releaseId, environmentId: r.environmentId })),
  );
  const items = pairs.flatMap(({ flagChanges: _n, ...row }, i) => {
    const fact = facts[i];
    const reasons = fact ? workReasons(actor, workFactsOf(fact, actor.id)) : [];
    return reasons.length ? [{ ...row, reasons }] : [];
  });
  return { count: items.length, items, flagChanges };
};

const pendingRead = defineOperation({
  name: "work.pending",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readPendingWork(actor),
});

/** The user's pending work, closest to production first, once per request. Tokens have none. */
export const pendingWork = cache((actor: Actor): Promise<PendingWork> => pendingRead(actor, {}));
