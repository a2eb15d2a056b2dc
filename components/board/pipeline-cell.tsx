import Link from "@/components/ui/link";
import type { WorkReason } from "@/lib/data/promotion/my-work";
import type { CellHold, ReleaseSummary } from "@/lib/data/pipeline";
import type { GateSummary } from "@/lib/data/pipeline/gates";
import { cellMeta, type ActiveDeployment, type PipelineCell } from "@/lib/domain/pipeline";
import { BoardGateSummary } from "./gate-summary";
import { BoardWorkMark } from "./work-mark";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";
import { UnknownWhatRuns } from "@/components/deploy/unknown-state";
import { HoldBadge } from "@/components/deploy/hold-badge";

// One application × environment square of the board: what runs, its state, and what is
// happening or waiting there; for a waiting release, its gates and whether it waits for you.

function ReleaseLink({ release, className = "" }: { release: ReleaseSummary; className?: string }) {
  return (
    <Link href={`/releases/${release.id}`} title={release.title} className={`font-mono hover:underline ${className}`}>
      {release.version}
    </Link>
  );
}

const ACTIVE_WORDS: Record<ActiveDeployment["status"], string> = {
  queued: "queued",
  running: "started",
  paused: "paused, started",
  rolling_back: "rolling back, started",
};

export function PipelineCellView({
  cell,
  now,
  gates,
  work = [],
  hold = null,
}: {
  cell: PipelineCell<ReleaseSummary>;
  now: Date;
  gates?: GateSummary;
  work?: readonly WorkReason[];
  /** the version held here after a rollback */
  hold?: CellHold | null;
}) {
  const { live, active, failure, waiting, unknown } = cell;
  // a deploy of the waiting release is already under way: say it once
  const showWaiting =
    waiting && waiting.release.id !== active?.release.id && waiting.release.id !== failure?.release.id;
  // once its deploy is queued or running the gates no longer decide anything; after a failure they do again
  const showGates = waiting && gates?.releaseId === waiting.release.id && waiting.release.id !== active?.release.id;
  return (
    <div className="flex min-w-0 flex-col items-start gap-1.5">
      {unknown ? (
        <UnknownWhatRuns interrupted={unknown.release} before={live?.release} compact />
      ) : live ? (
        <div className="leading-tight">
          <ReleaseLink release={live.release} className="text-base font-semibold text-slate-900" />
          <div className="text-xs text-slate-500">
            deployed <RelativeTime date={live.since} now={now} />
          </div>
        </div>
      ) : (
        <div className="text-sm text-slate-400">No release yet</div>
      )}
      <Badge meta={cellMeta(cell.state, showGates ? gates.gates : undefined)} wrap />
      {hold ? <HoldBadge hold={hold} /> : null}
      {active ? (
        <p className="text-xs text-amber-900">
          <ReleaseLink release={active.release} className="font-medium" />{" "}
          <Link
            href={`/deployments/${active.deploymentId}`}
            className="underline decoration-dotted hover:decoration-solid"
          >
            {ACTIVE_WORDS[active.status]}
          </Link>{" "}
          <RelativeTime date={active.startedAt ?? active.queuedAt} now={now} />
        </p>
      ) : null}
      {failure && failure.deploymentId !== unknown?.deploymentId ? (
        <p className="text-xs text-slate-700">
          <ReleaseLink release={failure.release} className="font-medium" />{" "}
          <Link
            href={`/deployments/${failure.deploymentId}`}
            className="underline decoration-dotted hover:decoration-solid"
          >
            {failure.status === "failed" ? "failed" : "rolled back"}
          </Link>{" "}
          <RelativeTime date={failure.finishedAt} now={now} />
        </p>
      ) : null}
      {showWaiting ? (
        <p className="text-xs text-slate-700">
          <ReleaseLink release={waiting.release} className="font-medium" /> waiting since{" "}
          <RelativeTime date={waiting.since} now={now} />
        </p>
      ) : null}
      {showGates ? <BoardGateSummary gates={gates.gates} releaseId={gates.releaseId} /> : null}
      <BoardWorkMark reasons={work} />
    </div>
  );
}
