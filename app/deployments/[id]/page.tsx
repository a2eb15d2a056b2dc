import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { DeploymentChecklist } from "@/components/deploy/deployment-checklist";
import { DeploymentControls } from "@/components/deploy/deployment-controls";
import { HealthChart } from "@/components/deploy/health-chart";
import { DeploymentLive } from "@/components/deploy/live-deployment";
import { DeploymentLogLines } from "@/components/deploy/log";
import { progressText, stepEntries } from "@/components/deploy/rollout-steps";
import { RolloutStepper } from "@/components/deploy/rollout-stepper";
import { trafficSplit } from "@/components/deploy/traffic";
import { TrafficSplitPicture } from "@/components/deploy/traffic-split";
import { EnvironmentName } from "@/components/environments/name";
import { formatAbsolute, formatDuration } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Card, Section } from "@/components/ui/section";
import { StatusIcon } from "@/components/ui/status-icon";
import { TONE_CLASSES } from "@/components/ui/status-badge";
import { getDeployment, MEASUREMENT_TAIL, type DeploymentView } from "@/lib/data/deployments/view";
import { NotFoundError, ValidationError } from "@/lib/data/errors";
import { CHECKLIST_PHASE_LABELS, checklistKeepsLive } from "@/lib/domain/deployment-checklist";
import { STRATEGY_LABELS } from "@/lib/domain/rollout";
import { DEPLOYMENT_STATUS_META, isActiveStatus, isDeploymentStatus, type StatusMeta } from "@/lib/domain/status";
import { requireActor } from "@/lib/session";

type Params = Promise<{ id: string }>;

// One deployment as it happens: where the rollout is, who takes the traffic, how health has
// measured, the log, and the controls the viewer may use now. One read (getDeployment); while
// the deployment can still move, DeploymentLive re-renders the page when its fingerprint moves.

const loadDeployment = cache(async (id: string) => {
  try {
    return await getDeployment(await requireActor(), id);
  } catch (e) {
    // an unknown, hidden or malformed id names nothing
    if (e instanceof NotFoundError || e instanceof ValidationError) notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const d = await loadDeployment((await params).id);
  return { title: `${d.application.key} ${d.release.version} → ${d.environment.name}` };
}

function statusMeta(status: string): StatusMeta {
  return isDeploymentStatus(status)
    ? DEPLOYMENT_STATUS_META[status]
    : { label: status, tone: "neutral", icon: "question", description: status };
}

export default async function DeploymentPage({ params }: { params: Params }) {
  const d = await loadDeployment((await params).id);
  const now = new Date();
  const active = isDeploymentStatus(d.status) && isActiveStatus(d.status);
  const meta = statusMeta(d.status);
  const entries = stepEntries(d);
  const split = trafficSplit(d);
  const stepMarks = d.steps
    .filter((s) => s.action === "traffic")
    .map((s) => ({ at: s.startedAt.getTime(), label: `${s.trafficPercent} %` }));
  const subject = `${d.release.version} to ${d.environment.name}`;
  // a recently finished deployment stays live while an item of its checklist is still to tick
  const checklistOpen =
    isDeploymentStatus(d.status) &&
    checklistKeepsLive(d.status, d.finishedAt, [...d.checklist.during.items, ...d.checklist.after.items], now);
  const title =
    d.kind === "rollback" ? (
      <>
        Rollback of {d.application.key} to <span className="font-mono">{d.release.version}</span>
      </>
    ) : (
      <>
        {d.application.key} <span className="font-mono">{d.release.version}</span> to {d.environment.name}
      </>
    );

  return (
    <>
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <ol className="flex flex-wrap items-center gap-1.5">
              <li>
                <Link href={`/environments/${encodeURIComponent(d.environment.key)}`} className="hover:underline">
                  <EnvironmentName environment={{ ...d.environment, protected: false }} />
                </Link>
              </li>
              <li aria-hidden="true">/</li>
              <li>
                <Link href={`/releases/${d.release.id}`} className="hover:underline">
                  {d.application.name} <span className="font-mono">{d.release.version}</span>
                </Link>
              </li>
            </ol>
          </nav>
        }
        title={title}
        description={d.release.title}
        aside={<DeploymentLive deploymentId={d.id} final={!active && !checklistOpen} />}
      />

      <div className="space-y-8">
        <Card className="px-4 py-4 sm:px-6">
          <div className="flex flex-wrap items-center gap-3">
            <span
              role="status"
              aria-label={`Deployment status: ${meta.label}`}
              className={`inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-base font-semibold ring-1 ring-inset ${TONE_CLASSES[meta.tone]}`}
              title={meta.description}
            >
              <StatusIcon name={meta.icon} className="size-5 shrink-0" />
              {meta.label}
            </span>
            {progressText(d) ? <span className="text-sm text-slate-700">{progressText(d)}</span> : null}
          </div>
          <Reason view={d} />
          <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <Fact label="Environment">
              <EnvironmentName environment={{ ...d.environment, protected: false }} />
            </Fact>
            <Fact label="Strategy">
              {STRATEGY_LABELS[d.strategy]}
              {d.kind === "rollback" ? " · rollback" : ""}
              {d.provider ? <span className="text-slate-500"> · {d.provider.replace("_", " ")}</span> : null}
            </Fact>
            <Fact label="Triggered by">{d.triggeredBy ?? "Greenlight"}</Fact>
            <Fact label={d.finishedAt ? "Finished" : d.startedAt ? "Started" : "Queued"}>
              <Times view={d} now={now} />
            </Fact>
            {d.previousRelease ? (
              <Fact label={d.kind === "rollback" ? "Replaces" : "Before it"}>
                <Link href={`/releases/${d.previousRelease.id}`} className="font-mono text-brand-700 hover:underline">
                  {d.previousRelease.version}
                </Link>
              </Fact>
            ) : null}
            {d.rollbackOf ? (
              <Fact label="Rolls back">
                <Link href={`/deployments/${d.rollbackOf.id}`} className="font-mono text-brand-700 hover:underline">
                  {d.rollbackOf.version}
                </Link>
              </Fact>
            ) : null}
            {d.overrideReason ? <Fact label="Freeze overridden">{d.overrideReason}</Fact> : null}
            {d.serviceUrl ? (
              <Fact label="Runs at">
                <ExternalLink href={d.serviceUrl} />
              </Fact>
            ) : null}
            {d.previewUrl ? (
              <Fact label={`Idle colour${d.color ? ` (${d.color})` : ""}`}>
                <ExternalLink href={d.previewUrl} />
              </Fact>
            ) : null}
          </dl>
          {Object.values(d.controls).some(Boolean) ? (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <DeploymentControls
                deploymentId={d.id}
                version={d.release.version}
                environmentName={d.environment.name}
                controls={d.controls}
              />
            </div>
          ) : null}
        </Card>

        <DeploymentChecklists view={d} now={now} />

        <div className="grid items-start gap-8 lg:grid-cols-2">
          <Section id="steps" title="Steps">
            <Card className="px-4 py-4 sm:px-5">
              <RolloutStepper entries={entries} now={now} />
            </Card>
          </Section>
          <Section id="traffic" title="Traffic split">
            <Card className="px-4 py-4 sm:px-5">
              <TrafficSplitPicture split={split} />
            </Card>
          </Section>
        </div>

        <Section
          id="health"
          title="Health checks"
          description="Each check's measurements over time; dashed lines mark where a traffic step began."
        >
          <Card className="px-4 py-4 sm:px-5">
            {d.measurements.length ? (
              <HealthChart
                measurements={d.measurements}
                steps={stepMarks}
                truncated={d.measurements.length >= MEASUREMENT_TAIL}
              />
            ) : (
              <p className="text-sm text-slate-600">
                {active
                  ? "No measurements yet: health is checked once traffic reaches the new release."
                  : "No health was measured during this deployment."}
              </p>
            )}
          </Card>
        </Section>

        <Section id="log" title="Log">
          <DeploymentLogLines log={{ lines: d.log, truncated: d.logTruncated }} subject={subject} active={active} />
        </Section>
      </div>
    </>
  );
}

/** The items worked through while it runs and after it ended; every tick also goes to the log. */
function DeploymentChecklists({ view, now }: { view: DeploymentView; now: Date }) {
  const { during, after, mayTick } = view.checklist;
  const none = during.items.length === 0 && after.items.length === 0;
  return (
    <Section
      id="checklist"
      title="Deployment checklist"
      description="Worked through while this deployment runs and after it has finished. It holds no promotion."
    >
      <Card className="px-4 py-4 sm:px-5">
        {none ? (
          <p className="text-sm text-slate-600">
            {view.kind === "rollback"
              ? "A rollback has no checklist: it puts back what ran before."
              : `No checklist for this deployment: ${view.environment.name}'s checklist has no items for during or after a deployment.`}
          </p>
        ) : (
          <div className="grid items-start gap-6 lg:grid-cols-2">
            <DeploymentChecklist
              deploymentId={view.id}
              title={CHECKLIST_PHASE_LABELS.during}
              part={during}
              mayTick={mayTick}
              now={now}
            />
            <DeploymentChecklist
              deploymentId={view.id}
              title={CHECKLIST_PHASE_LABELS.after}
              part={after}
              mayTick={mayTick}
              now={now}
            />
          </div>
        )}
      </Card>
    </Section>
  );
}

/** Why it paused, failed, rolled back or was rolled back to: the first thing a reader needs. */
function Reason({ view }: { view: DeploymentView }) {
  const [tone, word, text] =
    view.status === "paused" && view.pauseReason
      ? (["progress", "Paused", view.pauseReason] as const)
      : view.kind === "rollback" && view.failureReason && view.status !== "failed"
        ? (["neutral", "Reason for the rollback", view.failureReason] as const)
        : view.failureReason && view.status !== "succeeded"
          ? ([
              view.status === "failed" ? "danger" : view.status === "cancelled" ? "neutral" : "rollback",
              view.status === "failed" ? "Failed" : view.status === "cancelled" ? "Cancelled" : "Rolled back because",
              view.failureReason,
            ] as const)
          : ([null, null, null] as const);
  if (!tone) return null;
  return (
    <p className={`mt-3 rounded-md px-3 py-2 text-sm ring-1 ring-inset ${TONE_CLASSES[tone]}`}>
      <span className="font-semibold">{word}: </span>
      <span className="break-words">{text}</span>
    </p>
  );
}

function Times({ view, now }: { view: DeploymentView; now: Date }) {
  const at = view.finishedAt ?? view.startedAt ?? view.queuedAt;
  return (
    <>
      <RelativeTime date={at} now={now} />
      <span className="block text-xs text-slate-500">
        {formatAbsolute(at)}
        {view.startedAt && view.finishedAt
          ? ` · took ${formatDuration(view.finishedAt.getTime() - view.startedAt.getTime())}`
          : null}
      </span>
    </>
  );
}

/** A URL the deploy target reported (lib/domain/reported-urls.ts lets only http(s) through). */
function ExternalLink({ href }: { href: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="font-mono text-brand-700 hover:underline">
      {href}
    </a>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-slate-900">{children}</dd>
    </div>
  );
}
