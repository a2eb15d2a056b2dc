import Link from "@/components/ui/link";
import type { ReleaseSummary } from "@/lib/data/pipeline";
import { StatusIcon } from "@/components/ui/status-icon";

// What a page says instead of a version when a deploy was interrupted and nothing succeeded
// since: that Greenlight does not know what runs, which deploy was cut off, and what will
// tell. Words first (the icon is decorative), in the danger colours of a failed deploy.

export function UnknownWhatRuns({
  interrupted,
  before,
  compact = false,
}: {
  /** the release whose deploy was interrupted */
  interrupted: ReleaseSummary;
  /** what ran before it, the last version Greenlight knew of */
  before?: ReleaseSummary | null;
  /** a board cell: the same words, smaller */
  compact?: boolean;
}) {
  return (
    <div className={`flex gap-1.5 text-red-900 ${compact ? "text-xs" : "text-sm"}`}>
      <StatusIcon name="question" className={`${compact ? "mt-px size-3.5" : "mt-0.5 size-4"} shrink-0`} />
      <p>
        <strong className="font-semibold">Unknown</strong> — the last deploy (
        <Link href={`/releases/${interrupted.id}`} className="font-mono font-medium underline-offset-2 hover:underline">
          {interrupted.version}
        </Link>
        ) was interrupted; the next deploy or a version check will confirm what runs.
        {before ? (
          <span className="block text-slate-600">
            Before it:{" "}
            <Link href={`/releases/${before.id}`} className="font-mono hover:underline">
              {before.version}
            </Link>
          </span>
        ) : null}
      </p>
    </div>
  );
}
