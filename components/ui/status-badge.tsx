import { DEPLOYMENT_STATUS_META, type DeploymentStatus, type StatusMeta, type Tone } from "@/lib/domain/status";
import { StatusIcon } from "./status-icon";

// A status as icon + text + colour: each of the three says it alone.

// Full class names (not built from parts) so Tailwind finds them in the source.
export const TONE_CLASSES: Record<Tone, string> = {
  success: "bg-green-50 text-green-800 ring-green-600/25",
  progress: "bg-amber-50 text-amber-900 ring-amber-600/30",
  danger: "bg-red-50 text-red-800 ring-red-600/25",
  rollback: "bg-violet-50 text-violet-800 ring-violet-600/25",
  neutral: "bg-slate-100 text-slate-700 ring-slate-500/20",
  info: "bg-sky-50 text-sky-800 ring-sky-600/25",
};

export const TONE_TEXT: Record<Tone, string> = {
  success: "text-green-700",
  progress: "text-amber-700",
  danger: "text-red-700",
  rollback: "text-violet-700",
  neutral: "text-slate-500",
  info: "text-sky-700",
};

/** `wrap` lets a long label ("Waiting for Approvals, Checklist") take a second line in a narrow cell. */
export function Badge({ meta, label, wrap = false }: { meta: StatusMeta; label?: string; wrap?: boolean }) {
  return (
    <span
      className={`inline-flex items-center gap-1 px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${wrap ? "rounded-lg" : "whitespace-nowrap rounded-full"} ${TONE_CLASSES[meta.tone]}`}
      title={meta.description}
    >
      <StatusIcon name={meta.icon} className="size-3.5 shrink-0" />
      {label ?? meta.label}
    </span>
  );
}

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  return <Badge meta={DEPLOYMENT_STATUS_META[status]} />;
}
