import type { DeploymentLogView } from "@/lib/data/promotion/view";
import { DEPLOYMENT_STATUS_META, isActiveStatus, isDeploymentStatus } from "@/lib/domain/status";
import { formatDuration } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";
import { StatusIcon } from "@/components/ui/status-icon";

// A deployment's status and the tail of its log. Live updates come from the page being
// refreshed (the live-refresh island): new lines are appended under stable keys, so the log
// region announces only them, and it stays scrolled to its newest line (column-reverse).

// the bar slides only for people who have not asked for less motion; for the others it stands
const INDETERMINATE_CSS = `
@keyframes gl-indeterminate { from { transform: translateX(-100%); } to { transform: translateX(300%); } }
.gl-indeterminate { width: 100%; opacity: 0.6; }
@media (prefers-reduced-motion: no-preference) {
  .gl-indeterminate { width: 34%; opacity: 1; animation: gl-indeterminate 1.6s ease-in-out infinite; }
}`;

const clock = (at: Date) => at.toISOString().slice(11, 19);

export function DeploymentLog({ log, now }: { log: DeploymentLogView; now: Date }) {
  const meta = isDeploymentStatus(log.status) ? DEPLOYMENT_STATUS_META[log.status] : null;
  const active = isDeploymentStatus(log.status) && isActiveStatus(log.status);
  const subject = `${log.version} to ${log.environmentName}`;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold text-slate-900">{active ? `Deploying ${subject}` : `Deploy of ${subject}`}</h3>
        {meta ? <Badge meta={meta} /> : <span className="text-sm">{log.status}</span>}
      </div>
      {log.status === "queued" ? (
        <p className="flex items-center gap-1.5 text-sm text-amber-900">
          <StatusIcon name="clock" />
          Queued: waiting for a deploy worker to start it.
        </p>
      ) : null}
      {log.status === "running" ? <RunningBar log={log} now={now} /> : null}
      {!active && log.startedAt && log.finishedAt ? (
        <p className="text-sm text-slate-600">
          Finished <RelativeTime date={log.finishedAt} now={now} />, after{" "}
          {formatDuration(log.finishedAt.getTime() - log.startedAt.getTime())}.
        </p>
      ) : null}
      {log.status === "failed" && log.failureReason ? (
        <p className="flex gap-1.5 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          <StatusIcon name="cross" className="mt-0.5 size-4 shrink-0" />
          <span>
            <span className="font-semibold">Failed: </span>
            {log.failureReason}
          </span>
        </p>
      ) : null}
      <DeploymentLogLines log={log} subject={subject} active={active} />
    </div>
  );
}

function RunningBar({ log, now }: { log: DeploymentLogView; now: Date }) {
  return (
    <div>
      <style href="gl-indeterminate" precedence="default">
        {INDETERMINATE_CSS}
      </style>
      <div
        role="progressbar"
        aria-label={`Deploy of ${log.version} to ${log.environmentName}`}
        aria-valuetext={log.trafficPercent > 0 ? `Running, ${log.trafficPercent}% of traffic` : "Running"}
        className="h-2 overflow-hidden rounded-full bg-amber-100"
      >
        <div className="gl-indeterminate h-full rounded-full bg-amber-500" />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Running
        {log.startedAt ? (
          <>
            {" "}
            since <RelativeTime date={log.startedAt} now={now} />
          </>
        ) : null}
        {log.trafficPercent > 0 && log.trafficPercent < 100 ? ` · ${log.trafficPercent}% of traffic` : null}
      </p>
    </div>
  );
}

/** The lines alone, for a page that says the status itself (the deployment page). */
export function DeploymentLogLines({
  log,
  subject,
  active,
}: {
  log: Pick<DeploymentLogView, "lines" | "truncated">;
  /** "2.4.0 to Production", for the log's accessible name */
  subject: string;
  active: boolean;
}) {
  return (
    <div>
      {log.truncated ? <p className="mb-1 text-xs text-slate-500">Showing the last {log.lines.length} lines.</p> : null}
      <div
        role="log"
        aria-live="polite"
        aria-label={`Log of the deploy of ${subject}`}
        tabIndex={0}
        className="flex max-h-80 flex-col-reverse overflow-auto rounded-md bg-slate-950 px-3 py-2 font-mono text-xs leading-5 text-slate-100"
      >
        {log.lines.length === 0 ? (
          <p className="text-slate-400">{active ? "No output yet." : "This deploy wrote no log."}</p>
        ) : (
          <ol>
            {log.lines.map((line) => (
              <li key={line.id} className="flex gap-3">
                <time dateTime={line.at.toISOString()} className="shrink-0 text-slate-400">
                  {clock(line.at)}
                </time>
                <StreamMark stream={line.stream} />
                <span
                  className={`min-w-0 break-words whitespace-pre-wrap ${
                    line.stream === "stderr"
                      ? "text-red-300"
                      : line.stream === "system"
                        ? "text-sky-300 italic"
                        : "text-slate-100"
                  }`}
                >
                  {line.line}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

/** A word for the stream, not only a colour: "err" for the error output, "sys" for Greenlight's own lines. */
function StreamMark({ stream }: { stream: "stdout" | "stderr" | "system" }) {
  if (stream === "stdout")
    return (
      <span className="w-7 shrink-0" aria-hidden="true">
        {" "}
      </span>
    );
  return (
    <span
      className={`w-7 shrink-0 font-semibold uppercase ${stream === "stderr" ? "text-red-400" : "text-sky-400"}`}
      title={stream === "stderr" ? "error output" : "Greenlight"}
    >
      {stream === "stderr" ? "err" : "sys"}
    </span>
  );
}
