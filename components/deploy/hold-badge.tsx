import type { CellHold } from "@/lib/data/pipeline";
import { StatusIcon } from "@/components/ui/status-icon";

/** After a rollback the application stays at this version here until someone releases the hold. */
export function HoldBadge({ hold }: { hold: CellHold }) {
  const why = `Held at ${hold.version} after a rollback${hold.reason ? `: ${hold.reason}` : ""}. Promotions into it wait until someone releases the hold.`;
  return (
    <span
      className="inline-flex max-w-full items-center gap-1 rounded-lg bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-violet-600/25 ring-inset"
      title={why}
    >
      <StatusIcon name="pause" className="size-3.5 shrink-0" />
      <span className="min-w-0 break-words">
        Held at <span className="font-mono">{hold.version}</span>
      </span>
      <span className="sr-only">
        {" "}
        after a rollback{hold.reason ? `: ${hold.reason}` : ""}; promotions wait until the hold is released
      </span>
    </span>
  );
}
