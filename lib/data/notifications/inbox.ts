import "server-only";
import { z } from "zod";
import { can, type Actor, type UserActor } from "@/lib/domain/access";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/domain/notifications";
import { db } from "../../db";
import { audit } from "../audit/record";
import { ForbiddenError } from "../errors";
import { fromSql } from "../enums";
import { parseInput } from "../input";

// A person's inbox. Personal, like their password or second factor: nobody else's rights are
// involved, so these are plain functions of the signed-in person (an API token has no inbox).
// What they see is filtered by what they may see now: an event in an environment they lost
// access to disappears from their list and their count.

export interface InboxItem {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  path: string;
  createdAt: Date;
  readAt: Date | null;
  environment: { key: string; name: string; color: string } | null;
}

export interface Inbox {
  items: InboxItem[];
  unread: number;
  /** pass as `before` for the next page; null on the last page */
  nextCursor: string | null;
}

export function requirePerson(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new ForbiddenError("API tokens have no inbox: sign in as a person");
  return actor;
}

/** The environments whose events this person may see now. */
function visibleEnvironments(actor: UserActor): string[] {
  return [...actor.byEnvironment.keys()].filter((id) => can(actor, "environment.view", id));
}

export const inboxQuery = z.object({
  before: z.uuid().optional(),
  unread: z.boolean().optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

interface Row {
  id: string;
  kind: string;
  title: string;
  body: string;
  path: string;
  createdAt: Date;
  readAt: Date | null;
  envKey: string | null;
  envName: string | null;
  envColor: string | null;
  unread: bigint | number;
}

/** Newest first, `limit` (default 30) at a time, with the unread count — one statement. */
export async function readInbox(actor: Actor, raw: unknown = {}): Promise<Inbox> {
  const person = requirePerson(actor);
  const input = parseInput(inboxQuery, raw);
  const limit = input.limit ?? 30;
  const environments = visibleEnvironments(person);
  const rows = await db().$queryRaw<Row[]>`
    with mine as (
      select n.id, n."createdAt", n."readAt", n."eventId" from "Notification" n
      join "NotificationEvent" ev on ev.id = n."eventId"
      where n."userId" = ${person.id}::uuid
        and (ev."environmentId" is null or ev."environmentId" = any(${environments}::uuid[]))
    ),
    page as (
      select * from mine
      where (${input.before ?? null}::uuid is null or mine.id < ${input.before ?? null}::uuid)
        and (not ${input.unread ?? false} or mine."readAt" is null)
      order by mine.id desc limit ${limit + 1}
    )
    select p.id, ev.kind::text as kind, ev.title, ev.body, ev.path, p."createdAt", p."readAt",
      e.key as "envKey", e.name as "envName", e.color as "envColor",
      (select count(*) from mine where mine."readAt" is null) as unread
    from page p join "NotificationEvent" ev on ev.id = p."eventId"
    left join "Environment" e on e.id = ev."environmentId"
    order by p.id desc`;
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  const unread = await (rows.length > 0 ? Number(rows[0]!.unread) : unreadCount(person));
  return {
    items: shown.map((r) => ({
      id: r.id,
      kind: fromSql(NOTIFICATION_KINDS, r.kind, "notification kind"),
      title: r.title,
      body: r.body,
      path: r.path,
      createdAt: r.createdAt,
      readAt: r.readAt,
      environment: r.envKey && r.envName ? { key: r.envKey, name: r.envName, color: r.envColor ?? "#64748b" } : null,
    })),
    unread,
    nextCursor: more ? (shown.at(-1)?.id ?? null) : null,
  };
}

/** The bell's number: unread notifications this person may still see. */
export async function unreadCount(actor: Actor): Promise<number> {
  const person = requirePerson(actor);
  const [row] = await db().$queryRaw<{ count: bigint }[]>`
    select count(*) as count from "Notification" n join "NotificationEvent" ev on ev.id = n."eventId"
    where n."userId" = ${person.id}::uuid and n."readAt" is null
      and (ev."environmentId" is null or ev."environmentId" = any(${visibleEnvironments(person)}::uuid[]))`;
  return Number(row?.count ?? 0);
}

export const markReadInput = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

/** Marks some (or all) of this person's notifications read; returns how many changed. */
export async function markRead(actor: Actor, raw: unknown): Promise<{ marked: number }> {
  const person = requirePerson(actor);
  const input = parseInput(markReadInput, raw);
  const ids = "ids" in input ? input.ids : null;
  return db().$transaction(async (tx) => {
    const marked = await tx.$executeRaw`
      update "Notification" set "readAt" = now()
      where "userId" = ${person.id}::uuid and "readAt" is null
        and (${ids}::uuid[] is null or id = any(${ids}::uuid[]))`;
    // nothing changed (already read, or not theirs): nothing to record
    if (marked > 0)
      await audit(tx, person, {
        action: "notification.read",
        entityType: "User",
        entityId: person.id,
        after: ids ? { count: marked } : { all: true, count: marked },
      });
    return { marked };
  });
}
