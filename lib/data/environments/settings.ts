import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { formatFreezeEnd, freezeOccurrence, instantOfWallClock, isValidTimeZone } from "@/lib/domain/freeze";
import { db } from "../../db";
import { transaction } from "../context";
import { audit, type Tx } from "../audit/record";
import type { ChecklistTemplateSummary, FreezeWindowSummary } from "./read";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { environmentByKey } from "./by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { httpUrl, readEnvironments, type EnvironmentSummary } from "../pipeline";

// An environment's settings, for holders of environment.manage there: its gates and place in
// the pipeline, its checklist template and its freeze windows. Rollout and health settings are
// not edited here. Each operation resolves the environment by key (404), then changes it and
// writes its audit row (before/after) in one transaction.

const INVALID = "Some fields need attention";

export interface EnvironmentSettingsPage {
  asOf: Date;
  environment: EnvironmentSummary;
  /** every stage in order, for the "order" choice; stages the viewer may not see have no name */
  pipeline: { key: string; name: string | null }[];
  checklist: ChecklistTemplateSummary | null;
  /** weekly windows and one-off windows that have not ended, as on the environment page */
  freezeWindows: FreezeWindowSummary[];
  /** the windows freezing the environment now, each with when its current occurrence ends */
  activeFreezes: { id: string; until: string }[];
}

/** What the settings page shows someone who may view the environment but not manage it. */
export interface EnvironmentSettingsRefusal {
  allowed: false;
  environment: { key: string; name: string };
}

/**
 * The settings page's data. An environment the actor may not view is unknown (NotFoundError);
 * one they may view but not manage is a refusal, recorded as authz.denied like any other.
 */
const settingsRead = defineOperation({
  name: "environment.settings.view",
  permission: "environment.manage",
  scope: "environment",
  hidden: "not_found",
  effect: "read",
  input: z.object({ environmentKey }),
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, environment }) => readSettings(actor, environment.id),
});

export async function getEnvironmentSettings(
  actor: Actor,
  key: string,
): Promise<({ allowed: true } & EnvironmentSettingsPage) | EnvironmentSettingsRefusal> {
  try {
    return await settingsRead(actor, { environmentKey: key });
  } catch (e) {
    if (e instanceof ForbiddenError && e.denial?.environment)
      return { allowed: false, environment: { key, name: e.denial.environment.name } };
    throw e;
  }
}

async function readSettings(actor: Actor, environmentId: string): Promise<{ allowed: true } & EnvironmentSettingsPage> {
  const asOf = new Date();
  const [visible, all] = await Promise.all([
    readEnvironments(actor),
    db().environment.findMany({ select: { id: true, key: true }, orderBy: [{ position: "asc" }, { key: "asc" }] }),
  ]);
  const environment = visible.find((e) => e.id === environmentId);
  if (!environment) throw new NotFoundError("Environment");
  const [checklist, freezeWindows] = await Promise.all([
    readChecklist(db(), environment.id),
    readFreezeWindows(environment.id, asOf),
  ]);
  const names = new Map(visible.map((e) => [e.id, e.name]));
  return {
    allowed: true,
    asOf,
    environment,
    pipeline: all.map((e) => ({ key: e.key, name: names.get(e.id) ?? null })),
    checklist,
    freezeWindows,
    activeFreezes: freezeWindows.flatMap((w) => {
      const occurrence = freezeOccurrence(asFreezeInput(w), asOf);
      return occurrence ? [{ id: w.id, until: formatFreezeEnd(occurrence.endsAt, w.timeZone, asOf) }] : [];
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading and shaping rows
// ---------------------------------------------------------------------------------------------

async function readChecklist(
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
        select: { id: true, position: true, section: true, label: true, hint: true, required: true },
      },
    },
  });
  return template ? { ...template, timing: template.timing === "BEFORE_EXIT" ? "before_exit" : "before_entry" } : null;
}

const freezeColumns = {
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

type FreezeRow = {
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

function toFreezeSummary(row: FreezeRow): FreezeWindowSummary {
  return { ...row, kind: row.kind === "WEEKLY" ? "weekly" : "one_off" };
}

async function readFreezeWindows(environmentId: string, now: Date): Promise<FreezeWindowSummary[]> {
  const rows = await db().freezeWindow.findMany({
    where: { environmentId, OR: [{ kind: "WEEKLY" }, { endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: [{ kind: "asc" }, { startsAt: "asc" }, { weekday: "asc" }, { startMinute: "asc" }, { id: "asc" }],
    select: freezeColumns,
  });
  return rows.map(toFreezeSummary);
}

/** A stored window as the freeze rules read it (an incomplete row never freezes). */
function asFreezeInput(w: FreezeWindowSummary) {
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

function freezeAudit(w: FreezeWindowSummary) {
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

const blank = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);

/** Text that may be left empty (stored as null). */
const optionalText = (max: number) =>
  z.preprocess(blank, z.string().trim().max(max, `Use at most ${max} characters`).nullable());

/** A whole number, from a number or from a form field's text. */
const wholeNumber = (min: number, max: number, what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    z
      .number(`Enter ${what}`)
      .int(`Enter a whole number`)
      .min(min, `Use a number from ${min} to ${max}`)
      .max(max, `Use a number from ${min} to ${max}`),
  );

/** Serialises changes to one environment (its template, its windows) behind its row lock. */
async function lockEnvironment(tx: Tx, id: string): Promise<void> {
  await tx.$queryRaw`select id from "Environment" where id = ${id}::uuid for update`;
}

// ---------------------------------------------------------------------------------------------
// environment.update
// ---------------------------------------------------------------------------------------------

const settingsInput = z.object({
  environmentKey,
  name: z.string().trim().min(1, "Enter a name").max(80, "Use at most 80 characters"),
  description: optionalText(500),
  color: z
    .string("Use a colour like #16a34a")
    .trim()
    .regex(/^#[0-9a-f]{6}$/i, "Use a colour like #16a34a")
    .transform((c) => c.toLowerCase()),
  url: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .max(2000, "Use at most 2000 characters")
      .refine((u) => httpUrl(u) !== null, "Enter a web address starting with http:// or https://")
      .nullable(),
  ),
  protected: z.boolean("Say whether the environment is protected"),
  requiredApprovals: wholeNumber(0, 10, "how many approvals are required"),
  preventSelfApproval: z.boolean("Say whether the author's own approval counts"),
  soakMinutes: wholeNumber(0, 10080, "a soak time in minutes"),
  autoPromote: z.boolean("Say whether releases are promoted automatically"),
  /** 0-based place in the pipeline; the others shift to make room */
  position: wholeNumber(0, 1000, "a place in the pipeline"),
});

export type EnvironmentSettingsInput = z.input<typeof settingsInput>;

const settingsColumns = {
  id: true,
  key: true,
  name: true,
  description: true,
  color: true,
  url: true,
  protected: true,
  requiredApprovals: true,
  preventSelfApproval: true,
  soakMinutes: true,
  autoPromote: true,
  position: true,
} as const;

export interface EnvironmentSettings {
  id: string;
  key: string;
  name: string;
  description: string | null;
  color: string;
  url: string | null;
  protected: boolean;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  soakMinutes: number;
  autoPromote: boolean;
  position: number;
}

export const updateEnvironmentSettings = defineOperation({
  name: "environment.update",
  permission: "environment.manage",
  input: settingsInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<EnvironmentSettings> => {
    const env = environment;
    return transaction(
      ctx,
      async (tx) => {
        // every stage, locked in id order: ids never change, so concurrent reorders take the
        // locks in the same order (no deadlock) and run one after the other; FOR UPDATE returns
        // the latest committed positions, so each one sees the order the previous one left
        const rows = await tx.$queryRaw<{ id: string; key: string; position: number }[]>`
          select id, key, position from "Environment" order by id for update`;
        const before = [...rows].sort((a, b) => a.position - b.position || (a.key < b.key ? -1 : 1));
        const target = before.find((r) => r.id === env.id);
        if (!target) throw new NotFoundError(`Environment "${input.environmentKey}"`);
        if (input.position > before.length - 1)
          throw new ValidationError(INVALID, { position: [`Choose a place from 1 to ${before.length}`] });
        const after = before.filter((r) => r.id !== env.id);
        after.splice(input.position, 0, target);
        // gaps and duplicates left by older data are closed too: positions become 0 … n-1
        await tx.$executeRaw`
          update "Environment" e set position = v.position
          from unnest(${after.map((r) => r.id)}::uuid[], ${after.map((_, i) => i)}::int[]) as v(id, position)
          where e.id = v.id and e.position <> v.position`;
        const old = await tx.environment.findUniqueOrThrow({ where: { id: env.id }, select: settingsColumns });
        const { environmentKey: _, ...fields } = input;
        const updated = await tx.environment.update({
          where: { id: env.id },
          data: fields,
          select: settingsColumns,
        });
        const { id: _id, ...previous } = { ...old, position: target.position };
        const { id: _id2, ...next } = updated;
        await audit(tx, actor, {
          action: "environment.update",
          entityType: "Environment",
          entityId: env.id,
          environmentId: env.id,
          before: { ...previous, pipeline: before.map((r) => r.key) },
          after: { ...next, pipeline: after.map((r) => r.key) },
        });
        return updated;
      },
      // reorders queue behind each other's locks
      { maxWait: 10_000, timeout: 20_000 },
    );
  },
});

// ---------------------------------------------------------------------------------------------
// checklist.template.update
// ---------------------------------------------------------------------------------------------

const templateItem = z.object({
  /** an existing item of this environment's template; absent for a new one */
  id: z.preprocess(blank, z.uuid("This item is not part of this checklist").nullable()),
  section: optionalText(80),
  label: z
    .string("Enter the item's text")
    .trim()
    .min(1, "Enter the item's text")
    .max(200, "Use at most 200 characters"),
  hint: optionalText(500),
  required: z.boolean("Say whether the item is required"),
});

const templateInput = z.object({
  environmentKey,
  name: z.string("Name the checklist").trim().min(1, "Name the checklist").max(80, "Use at most 80 characters"),
  timing: z.enum(["before_entry", "before_exit"], "Choose when the checklist is done").default("before_entry"),
  items: z.array(templateItem, "List the checklist's items").max(100, "Use at most 100 items"),
});

export type ChecklistTemplateInput = z.input<typeof templateInput>;

export const updateChecklistTemplate = defineOperation({
  name: "checklist.template.update",
  permission: "environment.manage",
  input: templateInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<ChecklistTemplateSummary> => {
    const env = environment;
    return transaction(ctx, async (tx) => {
      await lockEnvironment(tx, env.id);
      const existing = await tx.checklistTemplate.findUnique({
        where: { environmentId: env.id },
        select: { id: true, name: true, items: { orderBy: [{ position: "asc" }, { id: "asc" }] } },
      });
      const own = new Map(existing?.items.map((i) => [i.id, i]));
      const problems: Record<string, string[]> = {};
      const seen = new Set<string>();
      input.items.forEach((item, i) => {
        if (item.id === null) return;
        if (!own.has(item.id)) problems[`items.${i}.id`] = ["This item is not part of this checklist"];
        else if (seen.has(item.id)) problems[`items.${i}.id`] = ["This item appears twice"];
        seen.add(item.id);
      });
      if (Object.keys(problems).length) throw new ValidationError(INVALID, problems);

      const before = existing ? await readChecklist(tx, env.id) : null;
      const timing = input.timing === "before_exit" ? "BEFORE_EXIT" : "BEFORE_ENTRY";
      const template = existing
        ? await tx.checklistTemplate.update({ where: { id: existing.id }, data: { name: input.name, timing } })
        : await tx.checklistTemplate.create({ data: { environmentId: env.id, name: input.name, timing } });
      // releases keep their copies of removed items (ChecklistItem.templateItemId is set null)
      const removed = [...own.keys()].filter((id) => !seen.has(id));
      if (removed.length) await tx.checklistTemplateItem.deleteMany({ where: { id: { in: removed } } });
      const fresh = [];
      for (const [position, { id, ...item }] of input.items.entries()) {
        const data = { ...item, position };
        const old = id === null ? undefined : own.get(id);
        if (!old) fresh.push({ ...data, templateId: template.id });
        else if (Object.entries(data).some(([k, v]) => old[k as keyof typeof data] !== v))
          await tx.checklistTemplateItem.update({ where: { id: old.id }, data });
      }
      if (fresh.length) await tx.checklistTemplateItem.createMany({ data: fresh });

      const after = await readChecklist(tx, env.id);
      if (!after) throw new Error("checklist template vanished while locked");
      await audit(tx, actor, {
        action: "checklist.template.update",
        entityType: "ChecklistTemplate",
        entityId: template.id,
        environmentId: env.id,
        before: before ? { ...before } : null,
        after: { ...after },
      });
      return after;
    });
  },
});

// ---------------------------------------------------------------------------------------------
// freeze.create / freeze.delete
// ---------------------------------------------------------------------------------------------

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

const freezeDeleteInput = z.object({ environmentKey, freezeId: z.uuid("Choose a freeze window") });

export const deleteFreezeWindow = defineOperation({
  name: "freeze.delete",
  permission: "environment.manage",
  input: freezeDeleteInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<{ id: string }> => {
    const env = environment;
    return transaction(ctx, async (tx) => {
      const [row] = await tx.$queryRaw<{ id: string }[]>`
        select id from "FreezeWindow"
        where id = ${input.freezeId}::uuid and "environmentId" = ${env.id}::uuid for update`;
      // a window of another environment is as unknown as one that never existed
      if (!row) throw new NotFoundError("Freeze window");
      const window = await tx.freezeWindow.delete({ where: { id: row.id }, select: freezeColumns });
      await audit(tx, actor, {
        action: "freeze.delete",
        entityType: "FreezeWindow",
        entityId: row.id,
        environmentId: env.id,
        before: freezeAudit(toFreezeSummary(window)),
      });
      return { id: row.id };
    });
  },
});
