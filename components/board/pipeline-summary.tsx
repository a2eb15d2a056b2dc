import type { Pipeline } from "@/lib/domain/pipeline";
import { CELL_STATE_META } from "@/lib/domain/pipeline";
import type { StatusMeta } from "@/lib/domain/status";
import { StatusIcon } from "@/components/ui/status-icon";
import { TONE_TEXT } from "@/components/ui/status-badge";

/** Three numbers a product owner checks first: what is ready, what is moving, what is broken. */
export function PipelineSummary({ summary }: { summary: Pipeline["summary"] }) {
  const items: { label: string; value: number; meta: StatusMeta }[] = [
    { label: "Ready to promote", value: summary.waiting, meta: CELL_STATE_META.waiting },
    { label: "Deploying or queued", value: summary.inProgress, meta: CELL_STATE_META.deploying },
    { label: "Failed or rolled back", value: summary.failing, meta: CELL_STATE_META.failed },
  ];
  return (
    <dl className="grid grid-cols-3 gap-2 sm:gap-4">
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
