import "server-only";
import type { WebhookCallbackEvent } from "@/lib/deploy/webhook/callback";
import type { DeploymentStatus } from "@/lib/domain/deployment-state";
import { reportedUrls } from "@/lib/domain/reported-urls";
import { nextMove, type DeploymentKind, type DeploymentPhase } from "@/lib/domain/rollout-engine";
import type { RolloutStrategy } from "@/lib/domain/rollout";
import { db } from "../../db";
import { audit } from "../audit/record";
import { claimStep, recordMove, stepKey } from "./rollout";

// What a webhook receiver reports to POST /api/v1/deployments/{id}/events, once verified (the
// route checks the Standard Webhooks signature with the target's secret). Each webhook-id is
// recorded once: a repeated delivery is accepted and changes nothing. Progress becomes log
// lines; a step's result answers the step the deployment waits for, as the rollout engine
// decides (the next move's job is sent with it); a result for another step changes nothing and
// says so. Every accepted report is audited; so is every refused one.

const RECEIVER = { label: "deploy receiver" };

/** Who may report for a deployment: its webhook target's secret variable, or null (no such deployment or target). */
export async function reportTargetOf(
  deploymentId: string,
): Promise<{ secretEnvVar: string | null; environmentId: string } | null> {
  const [row] = await db().$queryRaw<{ secretEnvVar: string | null; environmentId: string }[]>`
    select t."secretEnvVar", d."environmentId" from "Deployment" d
    join "DeployTarget" t on t."applicationId" = d."applicationId" and t."environmentId" = d."environmentId"
    where d.id = ${deploymentId}::uuid and t.provider = 'webhook'`;
  return row ?? null;
}

/** A report that failed verification, recorded with its reason (never its body). */
export async function recordRefusedReport(deploymentId: string, environmentId: string, reason: string): Promise<void> {
  await db().$transaction((tx) =>
    audit(tx, RECEIVER, {
      action: "deployment.report",
      entityType: "Deployment",
      entityId: deploymentId,
      environmentId,
      after: { type: "refused", message: reason },
    }),
  );
}

export type ReportOutcome =
  { accepted: false; duplicate: true } | { accepted: true; applied: boolean; message: string };

interface Position {
  status: DeploymentStatus;
  phase: DeploymentPhase;
  kind: DeploymentKind;
  strategy: RolloutStrategy;
  currentStep: number;
  stepVersion: number;
  environmentId: string;
  version: string;
}

export async function recordReport(
  deploymentId: string,
  webhookId: string,
  event: WebhookCallbackEvent,
): Promise<ReportOutcome> {
  const first = await db().$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      insert into "WebhookReceipt" ("deploymentId", "webhookId") values (${deploymentId}::uuid, ${webhookId})
      on conflict do nothing`;
    if (inserted === 0) return null;
    const [d] = await tx.$queryRaw<Position[]>`
      select d.status::text as status, d.phase::text as phase, d.kind::text as kind, d.strategy::text as strategy,
        d."currentStep", d."stepVersion", d."environmentId", r.version
      from "Deployment" d join "Release" r on r.id = d."releaseId" where d.id = ${deploymentId}::uuid`;
    if (!d) return null;
    const message =
      event.type === "progress"
        ? event.message
        : event.type === "step.succeeded"
          ? `step ${event.step} succeeded${event.message ? `: ${event.message}` : ""}`
          : `step ${event.step} failed: ${event.reason}`;
    await tx.deploymentLogLine.create({
      data: { deploymentId, stream: "SYSTEM", line: `Receiver: ${message}`.slice(0, 4000) },
    });
    await audit(tx, RECEIVER, {
      action: "deployment.report",
      entityType: "Deployment",
      entityId: deploymentId,
      environmentId: d.environmentId,
      after: { type: event.type, version: d.version, message, webhookId },
    });
    return d;
  });
  if (!first) return { accepted: false, duplicate: true };
  if (event.type === "progress") return { accepted: true, applied: false, message: "progress recorded" };
  const awaited = first.phase === "await" ? stepKey(first).index : null;
  if (awaited === null || awaited !== event.step)
    return {
      accepted: true,
      applied: false,
      message:
        awaited === null
          ? "recorded; the deployment is not waiting for a report now"
          : `recorded; the deployment waits for step ${awaited}, not ${event.step}`,
    };
  const job = await claimStep(deploymentId, first.stepVersion, { statuses: ["running", "paused", "rolling_back"] });
  if (!job || job.phase !== "await")
    return { accepted: true, applied: false, message: "recorded; the step had moved on meanwhile" };
  const outcome =
    event.type === "step.succeeded"
      ? ({ type: "report", ok: true } as const)
      : ({ type: "report", ok: false, reason: event.reason } as const);
  const urls = event.type === "step.succeeded" ? reportedUrls(event) : {};
  const status = await recordMove(job, nextMove(job, outcome, new Date()), {
    message: event.type === "step.succeeded" ? (event.message ?? "reported done") : event.reason,
    serviceUrl: urls.url ?? null,
    previewUrl: urls.previewUrl ?? null,
  });
  return {
    accepted: true,
    applied: status !== null,
    message: status ? `the deployment is ${status.replace("_", " ")}` : "recorded",
  };
}
