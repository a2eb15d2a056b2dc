import "server-only";
import { evaluateGates, failingGates, type GateKey } from "@/lib/domain/gates";
import type { NotificationKind } from "@/lib/domain/notifications";
import { sendInTransaction } from "@/lib/queue/send";
import { auditEventId as newId } from "../audit/record";
import type { Tx } from "../context";
import { notificationKindEnum } from "../enums";
import { gateInput, readGateFacts } from "../promotion/gate-facts";

// Writing down that something happened which people may need to know. It runs inside the
// transaction of the change (a promotion, a failed deploy, a change request), costs one INSERT
// and one job, and never waits for anyone: the notify job finds the recipients and the delivery
// jobs send (lib/jobs/notification-worker.ts). A rolled-back change notifies nobody.

export interface NotificationInput {
  kind: NotificationKind;
  /**
   * What makes two triggers the same event ("approval.waiting:<release>:<environment>"): the
   * second is dropped, so a release waiting for approval is announced once.
   */
  key: string;
  environmentId?: string | null;
  applicationId?: string | null;
  releaseId?: string | null;
  deploymentId?: string | null;
  flagChangeRequestId?: string | null;
  /** the person it is about: the release's author, who started the deploy, who overrode */
  subjectUserId?: string | null;
  title: string;
  body: string;
  /** the page to open, e.g. /releases/<id> */
  path: string;
  data?: Record<string, string | number | boolean | null>;
}

const MAX_TITLE = 200;
const MAX_BODY = 2000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Records the event and its fan-out job in `tx`. Returns the event id, or null for a repeat. */
export async function emitNotification(tx: Tx, input: NotificationInput): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    insert into "NotificationEvent" (id, kind, key, "environmentId", "applicationId", "releaseId", "deploymentId",
      "flagChangeRequestId", "subjectUserId", title, body, path, data)
    values (${newId()}::uuid, ${input.kind}::"NotificationKind", ${input.key}, ${input.environmentId ?? null}::uuid,
      ${input.applicationId ?? null}::uuid, ${input.releaseId ?? null}::uuid, ${input.deploymentId ?? null}::uuid,
      ${input.flagChangeRequestId ?? null}::uuid, ${input.subjectUserId ?? null}::uuid,
      ${clip(input.title, MAX_TITLE)}, ${clip(input.body, MAX_BODY)}, ${input.path}, ${JSON.stringify(input.data ?? {})}::jsonb)
    on conflict (key) do nothing
    returning id`;
  const id = rows[0]?.id ?? null;
  if (id) await sendInTransaction(tx, "notify", { eventId: id });
  return id;
}

/** The Prisma spelling, for the few readers that go through the client. */
export const kindToDb = notificationKindEnum.toDb;

/**
 * Gates that may still fail while a release "waits for approval": time passes on its own (soak,
 * freeze), so only the approvals themselves stand between the release and the next stage.
 */
const WAITING_ON_TIME: readonly GateKey[] = ["soak", "freeze"];

/**
 * After anything that can open a gate of a release (it arrived at a stage, a check reported,
 * an item was ticked): where the release is a candidate and nothing but approvals (and time)
 * holds it, the people who may approve are told, once per release × environment.
 */
export async function gatesChanged(tx: Tx, at: { releaseId: string; environmentId?: string }): Promise<void> {
  const environmentId = at.environmentId ?? (await candidateEnvironment(tx, at.releaseId));
  if (!environmentId) return;
  const facts = await readGateFacts(tx, at.releaseId, environmentId);
  if (!facts || facts.latest || facts.environment.requiredApprovals <= 0) return;
  const failing = failingGates(evaluateGates(gateInput(facts, new Date()))).map((gate) => gate.key);
  if (!failing.includes("approvals")) return;
  if (!failing.every((key) => key === "approvals" || WAITING_ON_TIME.includes(key))) return;
  await emitNotification(tx, {
    kind: "approval.waiting",
    key: `approval.waiting:${facts.release.id}:${facts.environment.id}`,
    environmentId: facts.environment.id,
    applicationId: facts.release.applicationId,
    releaseId: facts.release.id,
    subjectUserId: facts.release.authorId,
    title: `${facts.release.applicationKey} ${facts.release.version} waits for approval in ${facts.environment.name}`,
    body:
      `Every other gate of ${facts.release.applicationKey} ${facts.release.version} into ${facts.environment.name} ` +
      `passes; it needs ${facts.environment.requiredApprovals} ` +
      `${facts.environment.requiredApprovals === 1 ? "approval" : "approvals"}.`,
    path: `/releases/${facts.release.id}`,
    data: {
      application: facts.release.applicationKey,
      version: facts.release.version,
      environment: facts.environment.key,
    },
  });
}

/**
 * Where a release goes next: the stage after the furthest one it succeeded in, or the first
 * stage when it has run nowhere yet.
 */
export async function candidateEnvironment(tx: Tx, releaseId: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ id: string | null }[]>`
    select (
      select e.id from "Environment" e
      where e.position > coalesce((
        select max(se.position) from "Deployment" d join "Environment" se on se.id = d."environmentId"
        where d."releaseId" = ${releaseId}::uuid and d.status = 'succeeded'), -1)
      order by e.position limit 1) as id`;
  return row?.id ?? null;
}

/**
 * A release became the candidate of a stage: the people who tick its open checklists there are
 * told (the environment's own pre-deployment list, and the stage before's "while it runs" list),
 * and the approvers if approvals are all it waits for.
 */
export async function releaseArrived(tx: Tx, at: { releaseId: string; environmentId: string }): Promise<void> {
  const facts = await readGateFacts(tx, at.releaseId, at.environmentId);
  if (!facts || facts.latest) return;
  const open = new Map<string, { name: string; count: number }>();
  for (const item of facts.checklist)
    // an item only CI may tick is no one's work: the check will tick it
    if (item.required && !item.checked && !item.ciOnly) {
      const seen = open.get(item.environmentId);
      open.set(item.environmentId, { name: item.environmentName, count: (seen?.count ?? 0) + 1 });
    }
  for (const [environmentId, { name, count }] of open)
    await emitNotification(tx, {
      kind: "checklist.waiting",
      key: `checklist.waiting:${facts.release.id}:${environmentId}`,
      environmentId,
      applicationId: facts.release.applicationId,
      releaseId: facts.release.id,
      subjectUserId: facts.release.authorId,
      title: `${facts.release.applicationKey} ${facts.release.version}: ${name} checklist to do`,
      body:
        `${count} required checklist ${count === 1 ? "item waits" : "items wait"} in ${name} before ` +
        `${facts.release.applicationKey} ${facts.release.version} may go on to ${facts.environment.name}.`,
      path: `/releases/${facts.release.id}`,
      data: { application: facts.release.applicationKey, version: facts.release.version, environment: name },
    });
  await gatesChanged(tx, at);
}
