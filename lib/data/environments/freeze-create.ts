import "server-only";
import { z } from "zod";
import { instantOfWallClock, isValidTimeZone } from "@/lib/domain/freeze";
import { transaction } from "../context";
import { audit } from "../audit/record";
import type { FreezeWindowSummary } from "./read";
import { environmentByKey } from "./by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";

import { freezeAudit, freezeColumns, toFreezeSummary, wholeNumber } from "./settings-shared";

// Adding a freeze window, one-off or weekly in its own time zone (freeze.create).

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A one-off window's start or end. An ISO date-time with "Z" or an offset is that instant; a
 * `datetime-local` value without one ("2026-12-24T18:00") is the wall-clock time in the
 * window's own time zone, as the settings form shows it. Null when it is neither.
 */
export function freezeInstant(value: string | Date, timeZone: string): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const local = LOCAL_DATE_TIME.exec(value.trim());
  if (local) {
    const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = local.slice(1).map((part) => Number(part ?? 0));
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(wall);
    // Date.UTC rolls 31 April over into May: refuse dates that do not exist
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
    return new Date(instantOfWallClock(wall, timeZone));
  }
  return z.iso.datetime({ offset: true }).safeParse(value.trim()).success ? new Date(value) : null;
}

const freezeBase = {
  environmentKey,
  reason: z
    .string("Say why nothing may be deployed")
    .trim()
    .min(1, "Say why nothing may be deployed")
    .max(200, "Use at most 200 characters"),
  timeZone: z.string("Choose a time zone").trim().refine(isValidTimeZone, "Choose a time zone from the list"),
};
const moment = z.union([z.string(), z.date()], "Enter a date and time");

const freezeInput = z
  .discriminatedUnion(
    "kind",
    [
      z.object({ ...freezeBase, kind: z.literal("one_off"), startsAt: moment, endsAt: moment }),
      z.object({
        ...freezeBase,
        kind: z.literal("weekly"),
        weekday: wholeNumber(0, 6, "a day of the week"),
        startMinute: wholeNumber(0, 1439, "a start time"),
        durationMinutes: wholeNumber(1, 10080, "how long the window lasts"),
      }),
    ],
    "Choose a one-off or a weekly window",
  )
  .transform((v, ctx) => {
    if (v.kind === "weekly") return v;
    const startsAt = freezeInstant(v.startsAt, v.timeZone);
    const endsAt = freezeInstant(v.endsAt, v.timeZone);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "Enter a date and time" });
    if (!endsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Enter a date and time" });
    if (!startsAt || !endsAt) return z.NEVER;
    if (endsAt <= startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "End the window after it starts" });
    else if (endsAt.getTime() <= Date.now())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "This window has already ended" });
    return { ...v, startsAt, endsAt };
  });

export type FreezeWindowCreateInput = z.input<typeof freezeInput>;

export const createFreezeWindow = defineOperation({
  name: "freeze.create",
  permission: "environment.manage",
  input: freezeInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<FreezeWindowSummary> => {
    const env = environment;
    const schedule =
      input.kind === "one_off"
        ? { kind: "ONE_OFF" as const, startsAt: input.startsAt, endsAt: input.endsAt }
        : {
            kind: "WEEKLY" as const,
            weekday: input.weekday,
            startMinute: input.startMinute,
            durationMinutes: input.durationMinutes,
          };
    return transaction(ctx, async (tx) => {
      const row = await tx.freezeWindow.create({
        data: {
          environmentId: env.id,
          reason: input.reason,
          timeZone: input.timeZone,
          createdById: actor.kind === "user" ? actor.id : null,
          ...schedule,
        },
        select: freezeColumns,
      });
      const window = toFreezeSummary(row);
      await audit(tx, actor, {
        action: "freeze.create",
        entityType: "FreezeWindow",
        entityId: row.id,
        environmentId: env.id,
        after: freezeAudit(window),
      });
      return window;
    });
  },
});
