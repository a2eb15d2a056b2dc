import type { GateSummary } from "@/lib/data/pipeline/gates";
import type { Pipeline } from "@/lib/domain/pipeline";
import { CELL_STATE_META, cellMeta, promotionReadiness } from "@/lib/domain/pipeline";
import type { StatusMeta } from "@/lib/domain/status";
import { StatusIcon } from "@/components/ui/status-icon";
import { TONE_TEXT } from "@/components/ui/status-badge";

// What a product owner checks first: what may go now, what a gate holds, what is moving, what
// is broken. "Ready" counts only releases whose every gate passes.

const READY = cellMeta("waiting", []);
const HELD: StatusMeta = { ...CELL_STATE_META.waiting, tone: "neutral", icon: "clock" };

export function PipelineSummary({
  summary,
  gates,
}: {
  summary: Pipeline["summary"];
  /** per cell, the gates of the release waiting there */
  gates: Record<string, GateSummary>;
}) {
  const { ready, held } = promotionReadiness(summary.promotions, gates);
  const items: { label: string; value: number; meta: StatusMeta }[] = [
    { label: "Ready to promote", value: ready, meta: READY },
    { label: "Waiting for gates", value: held, meta: HELD },
    { label: "Deploying or queued", value: summary.inProgress, meta: CELL_STATE_META.deploying },
    { label: "Failed or rolled back", value: summary.failing, meta: CELL_STATE_META.failed },
  ];
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 sm:gap-4">
      {items.map(({ label, value, meta }) => (
        <div key={label} className="rounded-lg bg-white px-3 py-3 shadow-sm ring-1 ring-slate-200 sm:px-4">
          <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-600 sm:text-sm">
            <span className={value > 0 ? TONE_TEXT[meta.tone] : "text-slate-400"}>
              <StatusIcon name={meta.icon} className="size-4 shrink-0" />
            </span>
            {label}
          </dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
