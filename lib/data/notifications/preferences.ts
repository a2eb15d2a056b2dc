import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import {
  defaultChannels,
  NOTIFICATION_KIND_META,
  NOTIFICATION_KINDS,
  type Channels,
  type NotificationKind,
} from "@/lib/domain/notifications";
import { db } from "../../db";
import { audit } from "../audit/record";
import { notificationKindEnum } from "../enums";
import { parseInput } from "../input";
import { requirePerson } from "./inbox";

// Which events reach a person on which channel. Without a choice their roles' defaults apply
// (lib/domain/notifications.ts); a saved choice is kept per kind, so a later change of defaults
// never overrides what someone chose.

export interface KindPreference {
  kind: NotificationKind;
  label: string;
  audience: string;
  channels: Channels;
  defaults: Channels;
  /** false while the roles' default applies */
  chosen: boolean;
}

export interface NotificationPreferences {
  kinds: KindPreference[];
  /** whether email can go out at all (an admin set up mail) */
  mailConfigured: boolean;
  email: string;
}

export async function readNotificationPreferences(actor: Actor): Promise<NotificationPreferences> {
  const person = requirePerson(actor);
  const [rows, mail] = await Promise.all([
    db().notificationPreference.findMany({ where: { userId: person.id } }),
    db().mailSettings.findUnique({ where: { id: 1 }, select: { enabled: true } }),
  ]);
  const roleKeys = person.roles.map((r) => r.key);
  const saved = new Map(rows.map((r) => [notificationKindEnum.fromDb(r.kind), r]));
  return {
    kinds: NOTIFICATION_KINDS.map((kind) => {
      const defaults = defaultChannels(kind, roleKeys);
      const row = saved.get(kind);
      return {
        kind,
        ...NOTIFICATION_KIND_META[kind],
        channels: row ? { inbox: row.inbox, email: row.email } : defaults,
        defaults,
        chosen: Boolean(row),
      };
    }),
    mailConfigured: mail?.enabled === true,
    email: person.email,
  };
}

const channelsInput = z.object({ inbox: z.boolean(), email: z.boolean() }).strict();

/** Every kind's channels at once (the form sends the whole table); "default" drops a choice. */
export const preferencesInput = z
  .object({
    kinds: z.partialRecord(z.enum(NOTIFICATION_KINDS), z.union([channelsInput, z.literal("default")])),
  })
  .strict();

export async function updateNotificationPreferences(actor: Actor, raw: unknown): Promise<NotificationPreferences> {
  const person = requirePerson(actor);
  const input = parseInput(preferencesInput, raw);
  await db().$transaction(async (tx) => {
    const before = await tx.notificationPreference.findMany({ where: { userId: person.id } });
    const changes: string[] = [];
    for (const [kind, choice] of Object.entries(input.kinds) as [NotificationKind, Channels | "default"][]) {
      const dbKind = notificationKindEnum.toDb(kind);
      const old = before.find((r) => r.kind === dbKind);
      if (choice === "default") {
        if (old) {
          await tx.notificationPreference.delete({ where: { userId_kind: { userId: person.id, kind: dbKind } } });
          changes.push(`${kind}: default`);
        }
        continue;
      }
      if (old && old.inbox === choice.inbox && old.email === choice.email) continue;
      await tx.notificationPreference.upsert({
        where: { userId_kind: { userId: person.id, kind: dbKind } },
        create: { userId: person.id, kind: dbKind, inbox: choice.inbox, email: choice.email },
        update: { inbox: choice.inbox, email: choice.email },
      });
      changes.push(
        `${kind}: ${[choice.inbox ? "inbox" : null, choice.email ? "email" : null].filter(Boolean).join(" + ") || "nothing"}`,
      );
    }
    if (changes.length > 0)
      await audit(tx, person, {
        action: "notification.preferences.update",
        entityType: "User",
        entityId: person.id,
        after: { summary: changes.join("; ") },
      });
  });
  return readNotificationPreferences(person);
}
