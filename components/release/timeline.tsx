import Link from "@/components/ui/link";
import type { ReleaseDetail } from "@/lib/data/releases/read";
import { PATH_STATE_META } from "@/lib/domain/pipeline";
import { ActorLabel } from "@/components/ui/actor-label";
import { ProtectedMark } from "@/components/environments/name";
import { formatAbsolute, formatDuration, plural } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";
import { StatusIcon } from "@/components/ui/status-icon";
import { CheckWhatRunsButton } from "@/components/deploy/check-what-runs";
import { UnknownWhatRuns } from "@/components/deploy/unknown-state";

// A release's path through the environments, one step per stage in promotion order: what
// happened there last, when, who started it and how long it took. Side by side on wide
// screens, a vertical list on phones; the arrows follow.

type Step = ReleaseDetail["path"][number];

export function ReleaseTimeline({
  release,
  checkable = new Set(),
}: {
  release: ReleaseDetail;
  /** environments where the viewer may ask the target what runs (deploy.trigger) */
  checkable?: ReadonlySet<string>;
}) {
  const { path, asOf } = release;
  return (
    <ol
      className="grid gap-6 md:grid-cols-[repeat(var(--steps),minmax(0,1fr))] md:gap-8"
      style={{ "--steps": Math.max(path.length, 1) } as React.CSSProperties}
    >
      {path.map((step, i) => (
        <li key={step.environmentId} className="relative">
          {i > 0 ? <StepArrow /> : null}
          <article
            aria-labelledby={`step-${step.environmentId}`}
            className="h-full rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
            style={{ boxShadow: `inset 0 3px 0 ${step.environment.color}` }}
          >
            <div className="flex items-start justify-between gap-2">
              <div>
                <p className="text-xs font-medium text-slate-500">Stage {i + 1}</p>
                <h3
                  id={`step-${step.environmentId}`}
                  className="flex items-center gap-1.5 font-semibold text-slate-900"
                >
                  <Link href={`/environments/${step.environment.key}`} className="hover:underline">
                    {step.environment.name}
                  </Link>
                  {step.environment.protected ? <ProtectedMark /> : null}
                </h3>
              </div>
              <Badge meta={PATH_STATE_META[step.state]} />
            </div>
            {step.unknown ? (
              <div className="mt-3">
                <UnknownWhatRuns interrupted={step.unknown.release} before={step.unknown.before} />
                {checkable.has(step.environmentId) ? (
                  <CheckWhatRunsButton
                    environmentKey={step.environment.key}
                    applicationId={release.application.id}
                    where={`${release.application.key} in ${step.environment.name}`}
                  />
                ) : null}
              </div>
            ) : null}
            <StepDetails step={step} now={asOf} />
          </article>
        </li>
      ))}
    </ol>
  );
}

function StepDetails({ step, now }: { step: Step; now: Date }) {
  const { latest, runningInstead } = step;
  const instead = runningInstead ? (
    <p>
      {step.environment.name} runs{" "}
      <Link href={`/releases/${runningInstead.id}`} className="font-mono font-medium text-slate-900 hover:underline">
        {runningInstead.version}
      </Link>
      .
    </p>
  ) : null;

  if (!latest)
    return (
      <div className="mt-3 space-y-1 text-sm text-slate-600">
        <p>{step.state === "next" ? "The next stage: it goes here once its gates pass." : "Not deployed here yet."}</p>
        {instead}
      </div>
    );

  const verb = {
    queued: "Queued",
    running: "Started",
    paused: "Paused",
    rolling_back: "Rolling back since",
    succeeded: "Deployed",
    failed: "Failed",
    rolled_back: "Rolled back",
    cancelled: "Cancelled",
  }[latest.status];
  const at =
    latest.status === "queued"
      ? latest.queuedAt
      : latest.status === "running"
        ? (latest.startedAt ?? latest.queuedAt)
        : (latest.finishedAt ?? latest.queuedAt);
  return (
    <dl className="mt-3 space-y-1.5 text-sm">
      <div>
        <dt className="sr-only">When</dt>
        <dd className="text-slate-900">
          {verb} <RelativeTime date={at} now={now} />
          <span className="block text-xs text-slate-500">{formatAbsolute(at)}</span>
        </dd>
      </div>
      <div className="flex gap-1 text-slate-600">
        <dt>Started by</dt>
        <dd>
          <ActorLabel actor={latest.triggeredBy} />
        </dd>
      </div>
      {step.durationMs !== null ? (
        <div className="flex gap-1 text-slate-600">
          <dt>Took</dt>
          <dd>{formatDuration(step.durationMs)}</dd>
        </div>
      ) : null}
      {latest.status === "running" && latest.strategy !== "direct" ? (
        <div className="flex gap-1 text-slate-600">
          <dt>Traffic</dt>
          <dd>{latest.trafficPercent}%</dd>
        </div>
      ) : null}
      {latest.overrideReason ? (
        <div className="text-amber-900">
          <dt className="sr-only">Freeze override</dt>
          <dd className="flex gap-1">
            <StatusIcon name="slash" className="mt-0.5 size-4 shrink-0" />
            <span>Freeze overridden: {latest.overrideReason}</span>
          </dd>
        </div>
      ) : null}
      {latest.failureReason ? (
        <div className="text-red-800">
          <dt className="sr-only">Reason</dt>
          <dd>{latest.failureReason}</dd>
        </div>
      ) : null}
      {step.attempts > 1 ? (
        <div className="text-xs text-slate-500">
          <dt className="sr-only">Attempts</dt>
          <dd>{plural(step.attempts, "attempt")} here</dd>
        </div>
      ) : null}
      {instead ? (
        <div className="text-slate-600">
          <dt className="sr-only">Running instead</dt>
          <dd>{instead}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function StepArrow() {
  return (
    <span
      className="absolute -top-5 left-6 flex size-4 items-center justify-center text-slate-400 md:top-1/2 md:-left-6 md:-translate-y-1/2"
      aria-hidden="true"
    >
      <svg
        viewBox="0 0 16 16"
        className="size-4 rotate-90 md:rotate-0"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M3 8h9M9 4.5 12.5 8 9 11.5" />
      </svg>
    </span>
  );
}
