import { db } from "../db";
import type { Actor } from "../domain/access";
import { writeAuditEvent } from "./audit/record";
import { settingsSamples } from "./authorization.samples-settings";

// A valid input for every permission-guarded operation, used by authorization.test.ts. Each
// call builds fresh targets (unique names) so that a permitted call cannot fail for business
// reasons (duplicates, last-admin protection …) and be mistaken for a refusal.

export interface SampleContext {
  environment: { id: string; key: string; name: string };
  /** a fresh suffix for names that must be unique */
  unique: string;
  /** who will call: for what only its author may do (a change request's edit or withdrawal) */
  actor?: Actor;
}

export type Sample = (context: SampleContext) => Promise<unknown>;

async function anyFlagKey(): Promise<string> {
  const flag = await db().featureFlag.findFirst({ select: { key: true }, orderBy: { key: "asc" } });
  if (flag) return flag.key;
  return (await db().featureFlag.create({ data: { key: "authorization-sample", name: "Authorization sample" } })).key;
}

/** A flag of its own, off, with a pending request to turn it on in the environment, by `author` or by nobody. */
async function freshFlagRequest(environmentId: string, unique: string, author?: Actor): Promise<string> {
  const flag = await db().featureFlag.create({ data: { key: `sample-request-${unique}`, name: `Sample ${unique}` } });
  const request = await db().flagChangeRequest.create({
    data: {
      flagId: flag.id,
      environmentId,
      enabled: true,
      reason: "Authorization sample",
      base: { enabled: false, rolloutPercent: null, rules: [] },
      requiredApprovals: 1,
      authorId: author ? (author.kind === "user" ? author.id : author.owner.id) : null,
    },
  });
  return request.id;
}

async function freshScheduledChange(environmentId: string, unique: string): Promise<string> {
  const flag = await db().featureFlag.create({ data: { key: `sample-schedule-${unique}`, name: `Sample ${unique}` } });
  const change = await db().scheduledFlagChange.create({
    data: { flagId: flag.id, environmentId, enabled: true, runAt: new Date(Date.now() + 86_400_000) },
  });
  return change.id;
}

/** A flag of its own (archived when asked), so archiving or restoring it is never a repeat. */
async function freshFlag(unique: string, archived = false): Promise<string> {
  const key = `sample-${unique}`;
  await db().featureFlag.create({ data: { key, name: `Sample ${unique}`, archivedAt: archived ? new Date() : null } });
  return key;
}

/**
 * A flag with something in every environment (a state, a change request, a scheduled change, an
 * audit event), so that a flag page showing a hidden environment's part would show.
 */
async function flagEverywhere(unique: string): Promise<string> {
  const key = await freshFlag(unique);
  const flag = await db().featureFlag.findUniqueOrThrow({ where: { key }, select: { id: true } });
  const environments = await db().environment.findMany({ select: { id: true } });
  for (const { id: environmentId } of environments) {
    const state = { flagId: flag.id, environmentId, enabled: true, rolloutPercent: 50 };
    await db().flagState.create({ data: state });
    await db().flagChangeRequest.create({ data: { ...state, reason: "sample", requiredApprovals: 1 } });
    await db().scheduledFlagChange.create({ data: { ...state, runAt: new Date() } });
    await writeAuditEvent(db(), null, {
      action: "flag.state.update",
      entityType: "FeatureFlag",
      entityId: key,
      environmentId,
      after: { enabled: true, rolloutPercent: 50, rules: "" },
    });
  }
  return key;
}

/** A role nobody holds, so changing its access cannot change the access of the users under test. */
async function freshRole(unique: string): Promise<string> {
  return (await db().role.create({ data: { key: `sample_${unique}`, name: `Sample ${unique}` } })).key;
}

/** A user nobody acts as, whose roles, password and status the user operations may change. */
async function freshUser(unique: string): Promise<string> {
  return (await db().user.create({ data: { email: `sample-${unique}@example.test`, name: `Sample ${unique}` } })).id;
}

async function freshToken(unique: string): Promise<string> {
  return (
    await db().apiToken.create({
      data: { name: `sample-${unique}`, prefix: "glt_samp", tokenHash: `sample-${unique}` },
    })
  ).id;
}

/** A release nobody decided on, never deployed, created by nobody (so no self-approval rule applies). */
async function freshRelease(unique: string): Promise<string> {
  const application = await db().application.findFirstOrThrow({ select: { id: true }, orderBy: { key: "asc" } });
  const release = await db().release.create({
    data: {
      applicationId: application.id,
      version: `0.0.0-sample.${unique}`,
      commitSha: "0123456789abcdef",
      title: "Sample",
    },
  });
  return release.id;
}

/** An item of the environment's checklist template, creating the template if it has none. */
async function templateItem(environmentId: string): Promise<string> {
  const template = await db().checklistTemplate.upsert({
    where: { environmentId },
    create: { environmentId, name: "Sample checklist" },
    update: {},
    select: { id: true, items: { select: { id: true }, take: 1, orderBy: { position: "asc" } } },
  });
  if (template.items[0]) return template.items[0].id;
  return (
    await db().checklistTemplateItem.create({ data: { templateId: template.id, position: 0, label: "Sample item" } })
  ).id;
}

/**
 * A release that ran in every environment, with one deployment (and a log line) per
 * environment: what the reads show per environment, so a leak would show.
 */
async function deployedEverywhere(unique: string): Promise<{ releaseId: string; deploymentIds: Map<string, string> }> {
  const releaseId = await freshRelease(unique);
  const release = await db().release.findUniqueOrThrow({ where: { id: releaseId }, select: { applicationId: true } });
  const environments = await db().environment.findMany({ select: { id: true }, orderBy: { position: "asc" } });
  const deploymentIds = new Map<string, string>();
  for (const { id: environmentId } of environments) {
    const d = await db().deployment.create({
      data: {
        releaseId,
        applicationId: release.applicationId,
        environmentId,
        status: "SUCCEEDED",
        startedAt: new Date(),
        finishedAt: new Date(),
        logLines: { create: [{ line: "sample deploy", stream: "SYSTEM" }] },
      },
      select: { id: true },
    });
    deploymentIds.set(environmentId, d.id);
  }
  return { releaseId, deploymentIds };
}

const readSamples: Record<string, Sample> = {
  "pipeline.overview": () => Promise.resolve({}),
  "release.list": async ({ unique }) => (await deployedEverywhere(unique), {}),
  "release.read": async ({ unique }) => ({ id: (await deployedEverywhere(unique)).releaseId }),
  "release.form.read": () => Promise.resolve({}),
  // a check in every environment, so that a list showing a hidden environment's check would show
  "release.check.list": async ({ unique }) => {
    const { releaseId } = await deployedEverywhere(unique);
    const environments = await db().environment.findMany({ select: { id: true, key: true } });
    await db().releaseCheck.createMany({
      data: [
        { releaseId, name: `all-${unique}`, status: "SUCCESS" },
        ...environments.map((e) => ({
          releaseId,
          name: `in-${e.key}`,
          status: "FAILURE" as const,
          environmentId: e.id,
        })),
      ],
    });
    return { releaseId };
  },
  "environment.list": () => Promise.resolve({}),
  "flag.grid": () => Promise.resolve({}),
  "flag.detail": async ({ unique }) => ({ key: await flagEverywhere(unique) }),
  "environment.read": ({ environment }) => Promise.resolve({ key: environment.key }),
  // the environment beside another one: a hidden one on either side is a 404
  "environment.compare": async ({ environment }) => ({
    a: environment.key,
    b: (
      await db().environment.findFirstOrThrow({
        where: { key: { not: environment.key } },
        select: { key: true },
        orderBy: { position: "desc" },
      })
    ).key,
  }),
  "environment.settings.view": ({ environment }) => Promise.resolve({ environmentKey: environment.key }),
  "promotion.read": async ({ environment, unique }) => ({
    releaseId: await freshRelease(unique),
    environmentKey: environment.key,
  }),
  "promotion.handed_on.read": async ({ unique }) => ({ releaseId: await freshRelease(unique) }),
  "deployment.read": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "deployment.log.read": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "deployment.stamp": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "work.pending": () => Promise.resolve({}),
  "matrix.read": () => Promise.resolve({}),
  "live.stamp": () => Promise.resolve({}),
  "audit.list": () => Promise.resolve({}),
  "audit.filters": () => Promise.resolve({}),
  "audit.export": ({ environment }) => Promise.resolve({ environment: environment.key }),
  "metrics.read": async ({ environment, unique }) => (
    await deployedEverywhere(unique),
    { environment: environment.key, range: "90" }
  ),
  "metrics.deployments": async ({ environment, unique }) => (
    await deployedEverywhere(unique),
    { environment: environment.key, metric: "all", range: "7" }
  ),
};

const baseSamples: Record<string, Sample> = {
  "user.list": () => Promise.resolve({}),
  "role.list": () => Promise.resolve({}),
  "token.list": () => Promise.resolve({}),
  "user.create": ({ unique }) =>
    Promise.resolve({
      email: `new-${unique}@example.test`,
      name: `New ${unique}`,
      roles: [],
      password: "a long sample password",
    }),
  "user.roles.update": async ({ unique }) => ({ userId: await freshUser(unique), roleKeys: [] }),
  "user.deactivate": async ({ unique }) => ({ userId: await freshUser(unique) }),
  "user.reactivate": async ({ unique }) => ({ userId: await freshUser(unique) }),
  "user.password.reset": async ({ unique }) => ({ userId: await freshUser(unique), password: "another long password" }),
  "user.second_factor.reset": async ({ unique }) => ({ userId: await freshUser(unique) }),
  "role.create": ({ unique }) => Promise.resolve({ key: `role_${unique}`, name: `Role ${unique}` }),
  "token.create": ({ unique }) =>
    Promise.resolve({ name: `ci-${unique}`, permissions: ["environment.view"], environmentKeys: [], expiresAt: null }),
  "token.revoke": async ({ unique }) => ({ tokenId: await freshToken(unique) }),
  "matrix.cell.update": async ({ environment, unique }) => ({
    roleKey: await freshRole(unique),
    environmentKey: environment.key,
    level: "view",
  }),
  "matrix.role.global.update": async ({ unique }) => ({
    roleKey: await freshRole(unique),
    permissions: ["audit.view"],
  }),
  // with a reason: where flag changes need approval, it makes a change request
  "flag.state.update": async ({ environment }) => ({
    flagKey: await anyFlagKey(),
    environmentKey: environment.key,
    enabled: true,
    reason: "Authorization sample",
  }),
  "flag.change.approve": async ({ environment, unique }) => ({
    requestId: await freshFlagRequest(environment.id, unique),
  }),
  "flag.change.reject": async ({ environment, unique }) => ({
    requestId: await freshFlagRequest(environment.id, unique),
    comment: "Not now",
  }),
  // the author edits and withdraws: the request is made by whoever acts (see freshFlagRequest)
  "flag.change.edit": async ({ environment, unique, actor }) => ({
    requestId: await freshFlagRequest(environment.id, unique, actor),
    enabled: false,
    rolloutPercent: 10,
    reason: "Changed",
  }),
  "flag.change.withdraw": async ({ environment, unique, actor }) => ({
    requestId: await freshFlagRequest(environment.id, unique, actor),
  }),
  "flag.change.list": () => Promise.resolve({}),
  "flag.schedule.list": () => Promise.resolve({}),
  "flag.schedule.cancel": async ({ environment, unique }) => ({
    scheduledChangeId: await freshScheduledChange(environment.id, unique),
  }),
  "flag.create": ({ unique }) =>
    Promise.resolve({ key: `sample-${unique}`, description: "Authorization sample", category: "samples" }),
  "flag.archive": async ({ unique }) => ({ flagKey: await freshFlag(unique), reason: "authorization sample" }),
  "flag.restore": async ({ unique }) => ({ flagKey: await freshFlag(unique, true), reason: "authorization sample" }),
  // a fresh version each call, so a permitted call creates rather than repeats
  "release.create": ({ unique }) =>
    Promise.resolve({
      application: "storefront",
      version: `1.0.0-sample.${unique}`,
      commitSha: "0123456789abcdef0123456789abcdef01234567",
      title: "Authorization sample",
      changelog: "",
    }),
  // a fresh check name each call, speaking for the environment under test
  "release.check.report": async ({ environment, unique }) => ({
    releaseId: await freshRelease(unique),
    name: `sample-${unique}`,
    status: "success",
    url: "https://ci.example.test/runs/1",
    summary: "Authorization sample",
    environment: environment.key,
  }),
  "approval.decide": async ({ environment, unique }) => ({
    releaseId: await freshRelease(unique),
    environmentKey: environment.key,
    decision: "approved",
  }),
  "approval.withdraw": async ({ environment, unique }) => ({
    releaseId: await freshRelease(unique),
    environmentKey: environment.key,
  }),
  "checklist.item.tick": async ({ environment, unique }) => ({
    releaseId: await freshRelease(unique),
    environmentKey: environment.key,
    itemId: await templateItem(environment.id),
    checked: true,
  }),
  "deployment.check": async ({ environment }) => ({
    environmentKey: environment.key,
    applicationId: (await db().application.findFirstOrThrow({ select: { id: true }, orderBy: { key: "asc" } })).id,
  }),
  // a finished deployment: a permitted control is a 409 (nothing to pause …), after authorization
  "deployment.pause": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "deployment.resume": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "deployment.abort": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "deployment.promote_now": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  "deployment.cancel": async ({ environment, unique }) => ({
    deploymentId: (await deployedEverywhere(unique)).deploymentIds.get(environment.id),
  }),
  // a finished deployment's "after" item: a permitted tick succeeds
  "deployment.checklist.tick": async ({ environment, unique }) => {
    const deploymentId = (await deployedEverywhere(unique)).deploymentIds.get(environment.id)!;
    const item = await db().deploymentChecklistItem.create({
      data: { deploymentId, phase: "AFTER", position: 0, label: "Notify stakeholders" },
      select: { id: true },
    });
    return { deploymentId, itemId: item.id, checked: true };
  },
  "deployment.rollback": async ({ environment }) => ({
    environmentKey: environment.key,
    application: (await db().application.findFirstOrThrow({ select: { key: true }, orderBy: { key: "asc" } })).key,
    reason: "authorization sample",
  }),
  "environment.hold.release": async ({ environment }) => ({
    environmentKey: environment.key,
    application: (await db().application.findFirstOrThrow({ select: { key: true }, orderBy: { key: "asc" } })).key,
  }),
  // where the gates are closed, a permitted promotion is a 409: it passed authorization first
  "deployment.promote": async ({ environment, unique }) => ({
    releaseId: await freshRelease(unique),
    environmentKey: environment.key,
  }),
};

export const samples: Record<string, Sample> = { ...readSamples, ...baseSamples, ...settingsSamples };
