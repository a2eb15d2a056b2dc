import "server-only";
import { can, type Actor } from "@/lib/domain/access";
import { db } from "../db";
import { ForbiddenError } from "./errors";
import { noInput } from "./input";
import { defineOperation } from "./operation";

// A short string that changes whenever anything the board, a release page or a deployment log
// shows changes, so open pages poll it cheaply and re-render only when it moves. ONE statement
// of index probes, whatever the history: on 175,000 deployments, 1,000,000 log lines and
// 300,000 audit events, EXPLAIN ANALYZE gives 0.7 ms and 127 buffers (37 once the
// (status, queuedAt) index exists), where the plain max(greatest(queuedAt, startedAt,
// finishedAt)) and a count by status read all of Deployment: 3,000-6,000 buffers, 30-40 ms.
//
// - every mutation by a person or a token is audited: the newest AuditEvent.at, and how many
//   rows share it (two events in one millisecond still move the stamp);
// - a running deploy writes its log: the newest DeploymentLogLine.id (the primary key);
// - deploy workers move deployments without an audit row: the newest queuedAt, probed per
//   environment on (environmentId, queuedAt desc), and the queued and running ones, probed per
//   application x environment on (applicationId, environmentId, status, finishedAt desc). A
//   start or a finish changes those counts unless a deployment was queued meanwhile, which
//   moves the newest queuedAt: finishedAt needs no probe of its own.
//
// The parts are hashed: a poller learns that something changed, not what or where.

type StampRow = { stamp: string };

/** Who may poll: anyone who may see at least one environment. Refusals are not audited: a
 * poller would write one every few seconds, and each would move the stamp for everyone. */
function assertMayWatch(actor: Actor): void {
  // a token watches where it and its owner both may look (lib/domain/access.ts)
  const cells = actor.kind === "token" ? actor.owner.byEnvironment : actor.byEnvironment;
  const watches = [...cells.keys()].some((environmentId) => can(actor, "environment.view", environmentId));
  if (!watches) throw new ForbiddenError("You need the environment.view permission in at least one environment");
}

async function readStamp(actor: Actor): Promise<string> {
  assertMayWatch(actor);
  const [row] = await db().$queryRaw<StampRow[]>`
    with audit as (select max(at) as at from "AuditEvent")
    select left(md5(concat_ws('|',
      (select at from audit),
      (select count(*) from "AuditEvent" e where e.at = (select at from audit)),
      (select max(id) from "DeploymentLogLine"),
      (select max(q.at) from "Environment" env cross join lateral (
        select d."queuedAt" as at from "Deployment" d
        where d."environmentId" = env.id order by d."queuedAt" desc limit 1) q),
      (select concat_ws(',', count(*) filter (where a.status = 'queued'), count(*) filter (where a.status = 'running'),
          max(greatest(a."queuedAt", a."startedAt")))
        from "Application" app cross join "Environment" env cross join lateral (
          select d.status, d."queuedAt", d."startedAt" from "Deployment" d
          where d."applicationId" = app.id and d."environmentId" = env.id
            and d.status in ('queued', 'running')) a)
    )), 16) as stamp`;
  if (!row) throw new Error("the change stamp query returned no row");
  return row.stamp;
}

const stampRead = defineOperation({
  name: "live.stamp",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readStamp(actor),
});

/** A short fingerprint of everything open pages show; it moves when any of it changes. */
export function changeStamp(actor: Actor): Promise<string> {
  return stampRead(actor, {});
}
