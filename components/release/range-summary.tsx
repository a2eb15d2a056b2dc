import type { ReleaseRange } from "@/lib/data/promotion/range";
import { plural } from "@/components/ui/format";

/** The id of the release page's "What's in this promotion" card: the counts beside the buttons link to it. */
export const RANGE_ANCHOR = "next-contents";

/**
 * What a promotion holds, in a few words for beside the approve and promote buttons: "3
 * releases, 14 changes", "takes away 2 releases, 3 changes" for a release older than what runs
 * there; null when the release already runs there.
 */
export function rangeSummary(range: Pick<ReleaseRange, "direction" | "total" | "changes">): string | null {
  if (range.direction === "same" || range.total === 0) return null;
  const counts = `${plural(range.total, "release")}, ${plural(range.changes, "change")}`;
  return range.direction === "rollback" ? `takes away ${counts}` : counts;
}

/** The summary beside a button, linking to the card that lists the releases. */
export function RangeCount({ summary, rollback }: { summary: string | null; rollback: boolean }) {
  if (!summary) return null;
  return (
    <span className="text-sm text-slate-600" data-testid="promotion-count">
      {rollback ? "This promotion " : "In this promotion: "}
      <a href={`#${RANGE_ANCHOR}`} className="font-medium text-brand-700 hover:underline">
        {summary}
      </a>
    </span>
  );
}
