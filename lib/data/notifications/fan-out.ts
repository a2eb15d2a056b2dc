import "server-only";
import { channelsFor, NOTIFICATION_KINDS, type Channels, type NotificationKind } from "@/lib/domain/notifications";
import type { EnvironmentPermission } from "@/lib/domain/permissions";
import { sendManyInTransaction } from "@/lib/queue/send";
import { db } from "../../db";
import { auditEventId as newId } from "../audit/record";
import type { Tx } from "../context";
import { fromSql } from "../enums";

// The notify job: one event becomes inbox rows and deliveries. Who it concerns is decided now,
// from the access matrix as it is (a person who lost the environment since is not told), and
// what reaches them from their own choices or their roles' defaults. One transaction: the
// inbox rows, the delivery rows and their jobs commit together, and the event is marked done,
// so a retried job does nothing twice (and the unique keys would refuse it anyway).

/** Who an event concerns, beyond being able to see its environment. */
const CONCERNS: Record<
  NotificationKind,
  { permissions: readonly EnvironmentPermission[]; subject: "include" | "exclude" | "only" | "ignore" }
> = {
  "approval.waiting": { permissions: ["release.approve"], subject: "ignore" },
  "checklist.waiting": { permissions: ["checklist.tick"], subject: "ignore" },
  "flag_change.waiting": { permissions: ["flag.approve"], subject: "exclude" },
  "deployment.failed": { permissions: ["deploy.trigger", "deploy.rollback"], subject: "include" },
  "deployment.rolled_back": { permissions: ["deploy.trigger", "deploy.rollback"], subject: "include" },
  "deployment.paused": { permissions: ["deploy.trigger", "deploy.rollback"], subject: "include" },
  "freeze.override": { permissions: ["environment.manage"], subject: "exclude" },
  "release.production": { permissions: [], subject: "only" },
};

interface EventRow {
  id: string;
  kind: string;
  environmentId: string | null;
  applicationId: string | null;
  releaseId: string | null;
  subjectUserId: string | null;
  fannedOutAt: Date | null;
}

interface RecipientRow {
  id: string;
  roles: string[];
  inbox: boolean | null;
  email: boolean | null;
}

export interface FanOut {
  inbox: number;
  email: number;
  webhook: number;
}

/** Fans the event out once; a second call (a retried or duplicated job) finds it done. */
export async function fanOutNotification(eventId: string): Promise<FanOut> {
  return db().$transaction(async (tx) => {
    const [event] = await tx.$queryRaw<EventRow[]>`
      select id, kind::text as kind, "environmentId", "applicationId", "releaseId", "subjectUserId", "fannedOutAt"
      from "NotificationEvent" where id = ${eventId}::uuid for update`;
    if (!event || event.fannedOutAt) return { inbox: 0, email: 0, webhook: 0 };
    const kind = fromSql(NOTIFICATION_KINDS, event.kind, "notification kind");
    const recipients = await recipientsOf(tx, event, kind);
    const channels = recipients.map((r) => ({ id: r.id, chosen: chosenChannels(kind, r) }));
    const inboxIds = channels.filter((c) => c.chosen.inbox).map((c) => c.id);
    const emailIds = channels.filter((c) => c.chosen.email).map((c) => c.id);

    if (inboxIds.length > 0)
      await tx.$executeRaw`
        insert into "Notification" (id, "eventId", "userId")
        select i, ${event.id}::uuid, u from unnest(${inboxIds.map(() => newId())}::uuid[], ${inboxIds}::uuid[]) as x(i, u)
        on conflict ("eventId", "userId") do nothing`;

    // email only when mail is set up; the webhooks that listen to this environment (or all)
    // and this application (or all) and this kind (or all)
    const deliveries = await tx.$queryRaw<{ id: string; channel: "email" | "webhook" }[]>`
      with mail as (select 1 from "MailSettings" where id = 1 and enabled),
      targets as (
        select 'email'::"DeliveryChannel" as channel, u as target, u as "userId", null::uuid as "webhookId"
          from unnest(${emailIds}::uuid[]) as u where exists (select 1 from mail)
        union all
        select 'webhook'::"DeliveryChannel", c.id, null::uuid, c.id from "NotificationChannel" c
          where c.enabled
            and (c."environmentId" is null or c."environmentId" = ${event.environmentId}::uuid)
            and (c."applicationId" is null or c."applicationId" = ${event.applicationId}::uuid)
            and (cardinality(c.kinds) = 0 or ${kind}::"NotificationKind" = any(c.kinds))
      )
      insert into "NotificationDelivery" (id, "eventId", channel, "targetId", "userId", "webhookId", "updatedAt")
      select gen_random_uuid(), ${event.id}::uuid, channel, target, "userId", "webhookId", now() from targets
      on conflict ("eventId", channel, "targetId") do nothing
      returning id, channel::text as channel`;
    await sendManyInTransaction(
      tx,
      "delivery",
      deliveries.map((d) => ({ data: { deliveryId: d.id, attempt: 1 } })),
    );
    await tx.$executeRaw`update "NotificationEvent" set "fannedOutAt" = now() where id = ${event.id}::uuid`;
    return {
      inbox: inboxIds.length,
      email: deliveries.filter((d) => d.channel === "email").length,
      webhook: deliveries.filter((d) => d.channel === "webhook").length,
    };
  });
}

function chosenChannels(kind: NotificationKind, recipient: RecipientRow): Channels {
  const chosen =
    recipient.inbox === null || recipient.email === null
      ? {}
      : { [kind]: { inbox: recipient.inbox, email: recipient.email } };
  return channelsFor(kind, recipient.roles, chosen);
}

/**
 * Active people who may see the event's environment and whom it concerns: holders of the kind's
 * permissions there, and its subject as CONCERNS says. An approval request skips those who have
 * decided already, and the author where self-approval does not count.
 */
async function recipientsOf(tx: Tx, event: EventRow, kind: NotificationKind): Promise<RecipientRow[]> {
  if (!event.environmentId) return [];
  const concern = CONCERNS[kind];
  const subject = event.subjectUserId;
  return tx.$queryRaw<RecipientRow[]>`
    with cells as (
      select ur."userId",
        array_agg(distinct ro.key) as roles,
        coalesce(bool_or('environment.view'::"Permission" = any(ep.permissions)), false) as may_view,
        coalesce(bool_or(ep.permissions && ${[...concern.permissions]}::text[]::"Permission"[]), false) as concerned
      from "UserRole" ur
      join "Role" ro on ro.id = ur."roleId"
      left join "EnvironmentPermission" ep on ep."roleId" = ur."roleId" and ep."environmentId" = ${event.environmentId}::uuid
      group by ur."userId"
    )
    select u.id, c.roles, p.inbox, p.email
    from "User" u
    join cells c on c."userId" = u.id
    join "Environment" e on e.id = ${event.environmentId}::uuid
    left join "NotificationPreference" p on p."userId" = u.id and p.kind = ${kind}::"NotificationKind"
    where u.active and c.may_view
      and case ${concern.subject}
        when 'only' then u.id is not distinct from ${subject}::uuid
        when 'include' then c.concerned or u.id is not distinct from ${subject}::uuid
        when 'exclude' then c.concerned and u.id is distinct from ${subject}::uuid
        else c.concerned end
      and not (${kind} = 'approval.waiting' and (
        exists (select 1 from "Approval" a where a."releaseId" = ${event.releaseId}::uuid
          and a."environmentId" = e.id and a."userId" = u.id)
        or (e."preventSelfApproval" and u.id is not distinct from ${subject}::uuid)))
    order by u.id`;
  // (a subject may be null, a release CI created: every comparison with it is null-safe, or a
  // NULL would silently drop everyone)
}
