import "server-only";
import { z } from "zod";
import { listFromText } from "@/lib/domain/branches";
import { db } from "../../db";
import { type Tx } from "../audit/record";
import { checklistPhaseEnum } from "../enums";
import type { ChecklistTemplateSummary, FreezeWindowSummary } from "./read";

// Pieces the environment-settings operations share: reading the checklist and freeze windows,
// field helpers, and the environment row lock.

export const INVALID = "Some fields need attention";

export async function readChecklist(
  client: Tx | ReturnType<typeof db>,
  environmentId: string,
): Promise<ChecklistTemplateSummary | null> {
  const template = await client.checklistTemplate.findUnique({
    where: { environmentId },
    select: {
      name: true,
      timing: true,
      items: {
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: {
          id: true,
          position: true,
          section: true,
          phase: true,
          label: true,
          hint: true,
          required: true,
          checkName: true,
          ciOnly: true,
        },
      },
    },
  });
  return template
    ? {
        ...template,
        timing: template.timing === "BEFORE_EXIT" ? "before_exit" : "before_entry",
        items: template.items.map((i) => ({ ...i, phase: checklistPhaseEnum.fromDb(i.phase) })),
      }
    : null;
}

export const freezeColumns = {
  id: true,
  kind: true,
  reason: true,
  timeZone: true,
  startsAt: true,
  endsAt: true,
  weekday: true,
  startMinute: true,
  durationMinutes: true,
} as const;

export type FreezeRow = {
  id: string;
  kind: "ONE_OFF" | "WEEKLY";
  reason: string;
  timeZone: string;
  startsAt: Date | null;
  endsAt: Date | null;
  weekday: number | null;
  startMinute: number | null;
  durationMinutes: number | null;
};

export function toFreezeSummary(row: FreezeRow): FreezeWindowSummary {
  return { ...row, kind: row.kind === "WEEKLY" ? "weekly" : "one_off" };
}

export async function readFreezeWindows(environmentId: string, now: Date): Promise<FreezeWindowSummary[]> {
  const rows = await db().freezeWindow.findMany({
    where: { environmentId, OR: [{ kind: "WEEKLY" }, { endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: [{ kind: "asc" }, { startsAt: "asc" }, { weekday: "asc" }, { startMinute: "asc" }, { id: "asc" }],
    select: freezeColumns,
  });
  return rows.map(toFreezeSummary);
}

/** A stored window as the freeze rules read it (an incomplete row never freezes). */
export function asFreezeInput(w: FreezeWindowSummary) {
  if (w.kind === "weekly")
    return {
      ...w,
      kind: "weekly" as const,
      weekday: w.weekday ?? 0,
      startMinute: w.startMinute ?? 0,
      durationMinutes: w.durationMinutes ?? 0,
    };
  return { ...w, kind: "one_off" as const, startsAt: w.startsAt ?? new Date(0), endsAt: w.endsAt ?? new Date(0) };
}

export function freezeAudit(w: FreezeWindowSummary) {
  return {
    kind: w.kind,
    reason: w.reason,
    timeZone: w.timeZone,
    ...(w.kind === "one_off"
      ? { startsAt: w.startsAt?.toISOString() ?? null, endsAt: w.endsAt?.toISOString() ?? null }
      : { weekday: w.weekday, startMinute: w.startMinute, durationMinutes: w.durationMinutes }),
  };
}

// ---------------------------------------------------------------------------------------------
// Input pieces: forms send text, the API sends JSON; both get the same messages
// ---------------------------------------------------------------------------------------------

export const blank = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);

/** Text that may be left empty (stored as null). */
export const optionalText = (max: number) =>
  z.preprocess(blank, z.string().trim().max(max, `Use at most ${max} characters`).nullable());

/** A whole number, from a number or from a form field's text. */
export const wholeNumber = (min: number, max: number, what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    z
      .number(`Enter ${what}`)
      .int(`Enter a whole number`)
      .min(min, `Use a number from ${min} to ${max}`)
      .max(max, `Use a number from ${min} to ${max}`),
  );

/**
 * A list of names from the API (an array of strings) or from a form (text, one per line or
 * comma-separated), trimmed, blanks and repeats dropped, each checked by `problem`; the
 * messages go to the field as a whole (they name the entry).
 */
export const nameList = (what: string, max: number, problem: (name: string) => string | null) =>
  z.preprocess(
    (v: unknown) =>
      typeof v === "string"
        ? listFromText(v)
        : Array.isArray(v)
          ? v.map((e: unknown) => (typeof e === "string" ? e.trim() : e))
          : v,
    z
      .array(z.string(`List ${what} as text`), `List ${what}, one per line`)
      .max(100, `Use at most ${max} ${what}`)
      .transform((list) => [...new Set(list.filter((e) => e !== ""))])
      .superRefine((list, ctx) => {
        if (list.length > max) ctx.addIssue({ code: "custom", message: `Use at most ${max} ${what}` });
        for (const entry of list) {
          const message = problem(entry);
          if (message) ctx.addIssue({ code: "custom", message });
        }
      }),
  );

/** Serialises changes to one environment (its template, its windows) behind its row lock. */
export async function lockEnvironment(tx: Tx, id: string): Promise<void> {
  await tx.$queryRaw`select id from "Environment" where id = ${id}::uuid for update`;
}

// ---------------------------------------------------------------------------------------------
// environment.update
// ---------------------------------------------------------------------------------------------
