import "server-only";
import { z } from "zod";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/domain/notifications";
import { sqlOf } from "../context";
import { fromSql, type DeliveryStatus } from "../enums";
import { defineOperation } from "../operation";

// The admin's view of deliveries (notification.manage): the newest first, by status, with what
// the other side said last. Webhook URLs are not shown (a Slack URL is a secret).

export const DELIVERY_STATUSES = ["pending", "sending", "delivered", "failed"] as const;

export interface DeliveryView {
  id: string;
  status: DeliveryStatus;
  channel: "email" | "webhook";
  /** the person's email, or the channel's name */
  target: string;
  eventTitle: string;
  kind: NotificationKind;
  environmentName: string | null;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface DeliveriesPage {
  deliveries: DeliveryView[];
  counts: Record<DeliveryStatus, number>;
  limit: number;
}

const LIMIT = 200;

export const listDeliveries = defineOperation({
  name: "notification.delivery.list",
  scope: "global",
  permission: "notification.manage",
  effect: "read",
  input: z.object({ status: z.enum(DELIVERY_STATUSES).optional() }).strict(),
  async run({ input, ctx }): Promise<DeliveriesPage> {
    const sql = sqlOf(ctx);
    const status = input.status ?? null;
    const rows = await sql.$queryRaw<
      {
        id: string;
        status: string;
        channel: string;
        target: string | null;
        eventTitle: string;
        kind: string;
        environmentName: string | null;
        attempts: number;
        lastError: string | null;
        lastStatus: number | null;
        createdAt: Date;
        updatedAt: Date;
        nextAttemptAt: Date;
        deliveredAt: Date | null;
      }[]
    >`
      select d.id, d.status::text as status, d.channel::text as channel,
        coalesce(c.name, u.email) as target, ev.title as "eventTitle", ev.kind::text as kind,
        e.name as "environmentName", d.attempts, d."lastError", d."lastStatus",
        d."createdAt", d."updatedAt", d."nextAttemptAt", d."deliveredAt"
      from "NotificationDelivery" d
      join "NotificationEvent" ev on ev.id = d."eventId"
      left join "Environment" e on e.id = ev."environmentId"
      left join "NotificationChannel" c on c.id = d."webhookId"
      left join "User" u on u.id = d."userId"
      where ${status}::text is null or d.status::text = ${status}::text
      order by d."createdAt" desc, d.id desc
      limit ${LIMIT}`;
    const counted = await sql.$queryRaw<{ status: string; n: number }[]>`
      select status::text as status, count(*)::int as n from "NotificationDelivery" group by status`;
    const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, delivered: 0, failed: 0 };
    for (const c of counted) counts[fromSql(DELIVERY_STATUSES, c.status, "delivery status")] = c.n;
    return {
      limit: LIMIT,
      counts,
      deliveries: rows.map((r) => {
        const s = fromSql(DELIVERY_STATUSES, r.status, "delivery status");
        return {
          id: r.id,
          status: s,
          channel: r.channel === "email" ? "email" : "webhook",
          target: r.target ?? "(deleted)",
          eventTitle: r.eventTitle,
          kind: fromSql(NOTIFICATION_KINDS, r.kind, "notification kind"),
          environmentName: r.environmentName,
          attempts: r.attempts,
          lastError: r.lastError,
          lastStatus: r.lastStatus,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
          nextAttemptAt: s === "pending" ? r.nextAttemptAt.toISOString() : null,
          deliveredAt: r.deliveredAt?.toISOString() ?? null,
        };
      }),
    };
  },
});
