import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import { ACCESS_LEVELS, BUILT_IN_ROLES, toDbPermission, type Permission } from "@/lib/domain/permissions";
import { validateHealthChecks, type HealthCheck } from "@/lib/domain/health-checks";
import {
  ApprovalDecision,
  DeployColor,
  FreezeKind,
  Permission as DbPermission,
  type Prisma,
  ScheduledChangeStatus,
} from "@/lib/generated/prisma/client";
import { presetNames, presets } from "@/prisma/presets/index";
import type { Actor, MatrixCell, Preset, PresetHistory } from "@/prisma/presets/types";
import { hashPassword } from "@/lib/password";
import { phaseOfSection } from "@/lib/domain/deployment-checklist";
import type { ChecklistPhase } from "@/lib/generated/prisma/enums";
import { checklistPhaseEnum, deploymentStatusEnum, logStreamEnum, providerKindEnum, strategyEnum } from "../data/enums";
import { ConflictError, ValidationError } from "../data/errors";
import { announceWhatWaits } from "../data/notifications/waiting-now";

// Loads a preset (prisma/presets) into an empty database: one interactive transaction, so a
// failure leaves nothing behind, and batched inserts so the demo's history loads in seconds
// even on the embedded database. Inside the transaction only `tx` is used: the embedded server
// has one connection, which the transaction holds.

type Tx = Prisma.TransactionClient;

export interface PresetSummary {
  environments: number;
  roles: number;
  users: number;
  flags: number;
  releases: number;
  deployments: number;
}

const BATCH = 1000;

const COLOR = { blue: DeployColor.BLUE, green: DeployColor.GREEN } as const;
const DECISION = { approved: ApprovalDecision.APPROVED, rejected: ApprovalDecision.REJECTED } as const;
const SCHEDULED = {
  pending: ScheduledChangeStatus.PENDING,
  applied: ScheduledChangeStatus.APPLIED,
  cancelled: ScheduledChangeStatus.CANCELLED,
  failed: ScheduledChangeStatus.FAILED,
} as const;
const BUILT_IN_ROLE_KEYS = new Set<string>(BUILT_IN_ROLES.map((r) => r.key));

function dbPermission(p: Permission): DbPermission {
  const name = toDbPermission(p);
  const found = Object.values(DbPermission).find((v) => v === name);
  if (!found) throw new Error(`permission ${p} has no database counterpart`);
  return found;
}

function cellPermissions(cell: MatrixCell): DbPermission[] {
  const permissions: readonly Permission[] = typeof cell === "string" ? ACCESS_LEVELS[cell].permissions : cell.custom;
  // the seeds predate CI checks: whoever may create releases in an environment may report checks
  // there too (as the migration that added release.check granted it)
  const withChecks: readonly Permission[] =
    permissions.includes("release.create") && !permissions.includes("release.check")
      ? [...permissions, "release.check"]
      : permissions;
  return withChecks.map(dbPermission);
}

/** A UUIDv7 stamped with the row's own (historical) time, so ids sort like the rows they name. */
function uuidv7(at: Date): string {
  const bytes = randomBytes(16);
  let ms = Math.max(0, Math.floor(at.getTime()));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

function lookup(map: Map<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (id === undefined) throw new Error(`preset refers to unknown ${what} "${key}"`);
  return id;
}

async function isEmpty(client: Tx): Promise<boolean> {
  // one after the other: inside a transaction both would queue on the same connection anyway
  if ((await client.environment.count()) > 0) return false;
  return (await client.user.count()) === 0;
}

/** True when there are no environments and no users: nothing a preset could collide with. */
export function databaseIsEmpty(db: Db): Promise<boolean> {
  return isEmpty(db);
}

export async function loadPreset(
  db: Db,
  name: string,
  options: { now?: Date; password?: string } = {},
): Promise<PresetSummary> {
  const preset = presets[name];
  if (!preset) throw new ValidationError(`unknown preset "${name}": valid presets are ${presetNames.join(", ")}`);
  // computed before the transaction: pure work that need not hold the connection
  const history = preset.history?.(options.now ?? new Date()) ?? null;
  // every persona signs in with the same password (printed by the caller); none without one
  const passwordHash = options.password ? await hashPassword(options.password) : null;
  return db.$transaction(
    async (tx) => {
      if (!(await isEmpty(tx)))
        throw new ConflictError("the database already holds data: loading a preset needs an empty database");
      return write(tx, preset, history, passwordHash);
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}

interface Ids {
  env: Map<string, string>;
  role: Map<string, string>;
  user: Map<string, string>;
  app: Map<string, string>;
  flag: Map<string, string>;
  token: Map<string, string>;
  /** envKey → template item ids in position order */
  checklistItems: Map<
    string,
    {
      id: string;
      position: number;
      section: string | null;
      phase: ChecklistPhase;
      label: string;
      hint: string | null;
      required: boolean;
      checkName: string | null;
      ciOnly: boolean;
    }[]
  >;
}

/**
 * Keys an environment may not have: the pages under /environments/ that a static route serves
 * (app/environments/compare), which would shadow the environment's own page.
 */
export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = ["compare"];

/** A preset's checks, held to what the settings page would accept: a bad preset fails loudly. */
function presetHealthChecks(e: Preset["environments"][number]): HealthCheck[] {
  const checked = validateHealthChecks(e.healthChecks ?? []);
  if (!checked.ok)
    throw new Error(`preset environment ${e.key}: invalid health checks ${JSON.stringify(checked.fieldErrors)}`);
  return checked.checks;
}

/** Environments in pipeline order: the preset's list order is the position. */
async function writeEnvironments(tx: Tx, preset: Preset, ids: Ids): Promise<void> {
  const reserved = preset.environments.find((e) => RESERVED_ENVIRONMENT_KEYS.includes(e.key));
  if (reserved) throw new Error(`preset environment ${reserved.key}: the key is reserved for a page of its own`);
  const environments = await tx.environment.createManyAndReturn({
    data: preset.environments.map((e, position) => ({
      key: e.key,
      name: e.name,
      description: e.description,
      position,
      protected: e.protected,
      color: e.color,
      url: e.url,
      requiredApprovals: e.requiredApprovals,
      flagChangeApprovals: e.flagChangeApprovals ?? (e.protected ? 1 : 0),
      preventSelfApproval: e.preventSelfApproval,
      requireSecondFactor: e.secondFactorMinutes !== undefined,
      ...(e.secondFactorMinutes !== undefined ? { secondFactorMaxAgeMinutes: e.secondFactorMinutes } : {}),
      soakMinutes: e.soakMinutes,
      autoPromote: e.autoPromote,
      rolloutStrategy: strategyEnum.toDb(e.rolloutStrategy),
      rolloutSteps: e.rolloutSteps.map((s) => ({ percent: s.percent, pauseSeconds: s.pauseSeconds })),
      healthCheckPath: e.healthCheckPath,
      healthCheckFailureThreshold: e.healthCheckFailureThreshold,
      errorRateThresholdPercent: e.errorRateThresholdPercent,
      // plain JSON objects; Prisma's JSON input type has no room for the interface
      healthChecks: presetHealthChecks(e) as unknown as never,
      requiredChecks: e.requiredChecks ?? [],
      allowedBranches: e.allowedBranches ?? [],
      autoPromoteBranches: e.autoPromoteBranches ?? [],
    })),
    select: { id: true, key: true },
  });
  for (const e of environments) ids.env.set(e.key, e.id);
}

/** Roles, the full access matrix, and the persona accounts with their roles. */
async function writeRolesAndPeople(tx: Tx, preset: Preset, ids: Ids, passwordHash: string | null): Promise<void> {
  const roles = await tx.role.createManyAndReturn({
    data: preset.roles.map((r) => ({
      key: r.key,
      name: r.name,
      description: r.description,
      builtIn: BUILT_IN_ROLE_KEYS.has(r.key),
      globalPermissions: r.globalPermissions.map(dbPermission),
    })),
    select: { id: true, key: true },
  });
  for (const r of roles) ids.role.set(r.key, r.id);

  for (const [roleKey, cells] of Object.entries(preset.matrix)) {
    lookup(ids.role, roleKey, "role");
    for (const envKey of Object.keys(cells)) lookup(ids.env, envKey, "environment");
  }
  // every cell is written, "No access" included, so the matrix is complete from the start
  await tx.environmentPermission.createMany({
    data: preset.roles.flatMap((r) =>
      preset.environments.map((e) => ({
        roleId: lookup(ids.role, r.key, "role"),
        environmentId: lookup(ids.env, e.key, "environment"),
        permissions: cellPermissions(preset.matrix[r.key]?.[e.key] ?? "none"),
      })),
    ),
  });

  const users = await tx.user.createManyAndReturn({
    data: preset.users.map((u) => ({ email: u.email.toLowerCase(), name: u.name, passwordHash })),
    select: { id: true, email: true },
  });
  for (const u of users) ids.user.set(u.email, u.id);
  await tx.userRole.createMany({
    data: preset.users.flatMap((u) =>
      u.roles.map((roleKey) => ({
        userId: lookup(ids.user, u.email, "user"),
        roleId: lookup(ids.role, roleKey, "role"),
      })),
    ),
  });
}

/** Applications and how each reaches each environment. */
async function writeApplications(tx: Tx, preset: Preset, ids: Ids): Promise<void> {
  const applications = await tx.application.createManyAndReturn({
    data: preset.applications.map((a) => ({
      key: a.key,
      name: a.name,
      description: a.description,
      repositoryUrl: a.repositoryUrl ?? null,
    })),
    select: { id: true, key: true },
  });
  for (const a of applications) ids.app.set(a.key, a.id);

  await tx.deployTarget.createMany({
    data: (preset.deployTargets ?? []).map((t) => ({
      applicationId: lookup(ids.app, t.appKey, "application"),
      environmentId: lookup(ids.env, t.envKey, "environment"),
      provider: providerKindEnum.toDb(t.provider),
      config: t.config,
      secretEnvVar: t.secretEnvVar ?? null,
      ...(t.timeoutSeconds === undefined ? {} : { timeoutSeconds: t.timeoutSeconds }),
    })),
  });
}

/** The team's delivery targets, in the units lib/domain/dora.ts compares in. */
async function writeDoraTargets(tx: Tx, preset: Preset): Promise<void> {
  const t = preset.doraTargets;
  if (!t) return;
  const rows: [string, number | undefined][] = [
    ["deployment_frequency", t.deploymentsPerWeek],
    ["lead_time", t.leadTimeHours === undefined ? undefined : t.leadTimeHours * 3600],
    ["change_failure_rate", t.changeFailureRatePercent === undefined ? undefined : t.changeFailureRatePercent / 100],
    ["recovery_time", t.recoveryMinutes === undefined ? undefined : t.recoveryMinutes * 60],
    ["rework_rate", t.reworkRatePercent === undefined ? undefined : t.reworkRatePercent / 100],
  ];
  await tx.metricTarget.createMany({
    data: rows.flatMap(([metric, value]) => (value === undefined ? [] : [{ metric, value, source: t.source }])),
  });
}

/** One checklist template per environment that has one; the item ids are kept for the history. */
async function writeChecklists(tx: Tx, preset: Preset, ids: Ids): Promise<void> {
  for (const [envKey, checklist] of Object.entries(preset.checklists)) {
    const template = await tx.checklistTemplate.create({
      data: {
        environmentId: lookup(ids.env, envKey, "environment"),
        name: checklist.name,
        timing: checklist.timing === "before_exit" ? "BEFORE_EXIT" : "BEFORE_ENTRY",
        items: {
          create: checklist.items.map((item, position) => ({
            position,
            section: item.section ?? null,
            // a preset that names no phase says it with its section ("Deployment", "Post-deployment")
            phase: checklistPhaseEnum.toDb(item.phase ?? phaseOfSection(item.section)),
            label: item.label,
            hint: item.hint ?? null,
            required: item.required,
            checkName: item.checkName ?? null,
            ciOnly: item.ciOnly ?? false,
          })),
        },
      },
      select: {
        items: {
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
          orderBy: { position: "asc" },
        },
      },
    });
    ids.checklistItems.set(envKey, template.items);
  }
}

/** Feature flags with a state in every environment, and freeze windows. */
async function writeFlagsAndFreezes(tx: Tx, preset: Preset, ids: Ids): Promise<void> {
  const flags = await tx.featureFlag.createManyAndReturn({
    data: preset.flags.map((f) => ({ key: f.key, name: f.name, description: f.description, category: f.category })),
    select: { id: true, key: true },
  });
  for (const f of flags) ids.flag.set(f.key, f.id);
  for (const f of preset.flags) for (const envKey of Object.keys(f.states)) lookup(ids.env, envKey, "environment");
  // a state for every environment, switched off where the preset says nothing
  await tx.flagState.createMany({
    data: preset.flags.flatMap((f) =>
      preset.environments.map((e) => {
        const state = f.states[e.key] ?? false;
        return {
          flagId: lookup(ids.flag, f.key, "flag"),
          environmentId: lookup(ids.env, e.key, "environment"),
          enabled: typeof state === "boolean" ? state : state.enabled,
          rolloutPercent: typeof state === "boolean" ? null : state.rolloutPercent,
        };
      }),
    ),
  });

  await tx.freezeWindow.createMany({
    data: (preset.freezeWindows ?? []).map((w) => ({
      environmentId: lookup(ids.env, w.envKey, "environment"),
      reason: w.reason,
      timeZone: w.timeZone,
      ...(w.kind === "weekly"
        ? {
            kind: FreezeKind.WEEKLY,
            weekday: w.weekday,
            startMinute: w.startMinute,
            durationMinutes: w.durationMinutes,
          }
        : { kind: FreezeKind.ONE_OFF, startsAt: new Date(w.startsAt), endsAt: new Date(w.endsAt) }),
    })),
  });
}

async function write(
  tx: Tx,
  preset: Preset,
  history: PresetHistory | null,
  passwordHash: string | null,
): Promise<PresetSummary> {
  const ids: Ids = {
    env: new Map(),
    role: new Map(),
    user: new Map(),
    app: new Map(),
    flag: new Map(),
    token: new Map(),
    checklistItems: new Map(),
  };
  // in dependency order: each step only refers to ids the steps before it recorded
  await writeEnvironments(tx, preset, ids);
  await writeRolesAndPeople(tx, preset, ids, passwordHash);
  await writeApplications(tx, preset, ids);
  await writeChecklists(tx, preset, ids);
  await writeFlagsAndFreezes(tx, preset, ids);
  await writeDoraTargets(tx, preset);

  const deployments = history ? await writeHistory(tx, history, ids) : 0;
  // what waits for people now is in their inbox on their first sign-in
  if (history) await announceWhatWaits(tx);
  const summary: PresetSummary = {
    environments: preset.environments.length,
    roles: preset.roles.length,
    users: preset.users.length,
    flags: preset.flags.length,
    releases: history?.releases.length ?? 0,
    deployments,
  };
  await tx.auditEvent.create({
    data: {
      actorLabel: "system",
      action: "preset.load",
      entityType: "Preset",
      entityId: preset.name,
      after: { preset: preset.name, title: preset.title, ...summary },
    },
  });
  return summary;
}

function actorIds(actor: Actor | null, ids: Ids): { userId: string | null; tokenId: string | null } {
  if (actor === null) return { userId: null, tokenId: null };
  if ("user" in actor) return { userId: lookup(ids.user, actor.user, "user"), tokenId: null };
  return { userId: null, tokenId: lookup(ids.token, actor.token, "API token") };
}

/** Writes releases and everything that happened to them; returns the number of deployments. */
async function writeHistory(tx: Tx, history: PresetHistory, ids: Ids): Promise<number> {
  // the demo's tokens are for show (who created which release): their secret is thrown away
  const tokens = history.apiTokens.map((t) => {
    const secret = `glt_${randomBytes(24).toString("base64url")}`;
    const id = uuidv7(t.createdAt);
    ids.token.set(t.name, id);
    return {
      id,
      name: t.name,
      prefix: secret.slice(0, 8),
      tokenHash: createHash("sha256").update(secret).digest("hex"),
      permissions: t.permissions.map(dbPermission),
      ownerId: t.ownerEmail === null ? null : lookup(ids.user, t.ownerEmail, "user"),
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt,
    };
  });
  await tx.apiToken.createMany({ data: tokens });

  const releases: Prisma.ReleaseCreateManyInput[] = [];
  const deployments: (Prisma.DeploymentCreateManyInput & { id: string; queuedAt: Date })[] = [];
  const logLines: Prisma.DeploymentLogLineCreateManyInput[] = [];
  const approvals: Prisma.ApprovalCreateManyInput[] = [];
  const checklistItems: Prisma.ChecklistItemCreateManyInput[] = [];
  // each promotion's "during" and "after" items, by `${deploymentId} ${templateItemId}`
  const deploymentChecklistItems = new Map<string, Prisma.DeploymentChecklistItemCreateManyInput>();

  const deploymentIdByRef = new Map<string, string>();
  const pendingRollbacks: { index: number; ref: string }[] = [];

  for (const r of history.releases) {
    const releaseId = uuidv7(r.createdAt);
    // envKey → the release's latest promotion there that started: its ticks of the "during"
    // and "after" items are that deployment's
    const promotedTo = new Map<string, { id: string; queuedAt: Date }>();
    const applicationId = lookup(ids.app, r.appKey, "application");
    const author = actorIds(r.createdBy, ids);
    releases.push({
      id: releaseId,
      applicationId,
      version: r.version,
      commitSha: r.commitSha,
      commitAt: r.commitAt,
      branch: r.branch ?? null,
      title: r.title,
      changelog: r.changelog,
      links: r.links.map((l) => ({ label: l.label, url: l.url })),
      createdById: author.userId,
      createdByTokenId: author.tokenId,
      createdAt: r.createdAt,
    });

    for (const d of r.deployments) {
      const id = uuidv7(d.queuedAt);
      if (d.ref) deploymentIdByRef.set(d.ref, id);
      if (d.rollbackOfRef) pendingRollbacks.push({ index: deployments.length, ref: d.rollbackOfRef });
      const trigger = actorIds(d.triggeredBy, ids);
      deployments.push({
        id,
        releaseId,
        // copied from the release, as every writer of Deployment must
        applicationId,
        environmentId: lookup(ids.env, d.envKey, "environment"),
        status: deploymentStatusEnum.toDb(d.status),
        strategy: strategyEnum.toDb(d.strategy),
        currentStep: d.currentStep,
        trafficPercent: d.trafficPercent,
        activeColor: d.activeColor === null ? null : COLOR[d.activeColor],
        providerRef: d.providerRef,
        failureReason: d.failureReason,
        overrideReason: d.overrideReason,
        triggeredById: trigger.userId,
        triggeredByTokenId: trigger.tokenId,
        queuedAt: d.queuedAt,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt,
      });
      for (const l of d.log)
        logLines.push({ deploymentId: id, at: l.at, stream: logStreamEnum.toDb(l.stream), line: l.line });
      // as createDeployment copies them: every promotion, no rollback
      if (!d.rollbackOfRef) {
        for (const item of ids.checklistItems.get(d.envKey) ?? [])
          if (item.phase !== "BEFORE")
            deploymentChecklistItems.set(`${id} ${item.id}`, {
              deploymentId: id,
              templateItemId: item.id,
              phase: item.phase,
              position: item.position,
              section: item.section,
              label: item.label,
              hint: item.hint,
            });
        const latest = promotedTo.get(d.envKey);
        if (d.startedAt && (!latest || latest.queuedAt <= d.queuedAt))
          promotedTo.set(d.envKey, { id, queuedAt: d.queuedAt });
      }
    }

    for (const a of r.approvals) {
      approvals.push({
        releaseId,
        environmentId: lookup(ids.env, a.envKey, "environment"),
        userId: lookup(ids.user, a.userEmail, "user"),
        decision: DECISION[a.decision],
        comment: a.comment,
        roleKey: a.roleKey,
        createdAt: a.at,
        updatedAt: a.at,
      });
    }

    for (const c of r.checklists) {
      const environmentId = lookup(ids.env, c.envKey, "environment");
      const template = ids.checklistItems.get(c.envKey);
      if (!template)
        throw new Error(`release ${r.appKey} ${r.version} has a checklist for ${c.envKey}, which has no template`);
      const ticks = new Map(c.ticks.map((t) => [t.itemIndex, t]));
      for (const item of template) {
        const tick = ticks.get(item.position);
        if (item.phase !== "BEFORE") {
          // ticked on the deployment it was about; with none that started, the tick is dropped
          const copy = deploymentChecklistItems.get(`${promotedTo.get(c.envKey)?.id} ${item.id}`);
          if (copy && tick)
            Object.assign(copy, {
              checkedById: lookup(ids.user, tick.byEmail, "user"),
              checkedAt: tick.at,
              note: tick.note,
            });
          continue;
        }
        checklistItems.push({
          releaseId,
          environmentId,
          templateItemId: item.id,
          position: item.position,
          section: item.section,
          label: item.label,
          hint: item.hint,
          required: item.required,
          checkName: item.checkName,
          ciOnly: item.ciOnly,
          checkedById: tick ? lookup(ids.user, tick.byEmail, "user") : null,
          checkedAt: tick?.at ?? null,
          note: tick?.note ?? null,
        });
      }
    }
  }

  for (const { index, ref } of pendingRollbacks)
    deployments[index]!.rollbackOfId = lookup(deploymentIdByRef, ref, "deployment ref");
  // a rollback always comes after the deployment it undoes: in time order, every batch only
  // points at rows already written
  deployments.sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());

  await inBatches(releases, (data) => tx.release.createMany({ data }));
  await inBatches(deployments, (data) => tx.deployment.createMany({ data }));
  await inBatches(logLines, (data) => tx.deploymentLogLine.createMany({ data }));
  await inBatches(approvals, (data) => tx.approval.createMany({ data }));
  await inBatches(checklistItems, (data) => tx.checklistItem.createMany({ data }));
  await inBatches([...deploymentChecklistItems.values()], (data) => tx.deploymentChecklistItem.createMany({ data }));
  await tx.scheduledFlagChange.createMany({
    data: history.scheduledFlagChanges.map((s) => ({
      flagId: lookup(ids.flag, s.flagKey, "flag"),
      environmentId: lookup(ids.env, s.envKey, "environment"),
      enabled: s.enabled,
      rolloutPercent: s.rolloutPercent,
      runAt: s.runAt,
      status: SCHEDULED[s.status],
      createdById: lookup(ids.user, s.createdByEmail, "user"),
      createdAt: s.createdAt,
      appliedAt: s.appliedAt,
    })),
  });
  return deployments.length;
}
