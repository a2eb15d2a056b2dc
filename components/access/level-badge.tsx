import { LEVEL_META, permissionList, type LevelOrCustom } from "./vocabulary";
import { iconProps } from "@/components/ui/icon-props";

// An access level as shape + text + colour; each says it alone (a filled disc is everything,
// a slashed circle nothing, sliders a hand-picked set).

// Full class names (not built from parts) so Tailwind finds them in the source.
export const LEVEL_CLASSES: Record<LevelOrCustom, string> = {
  full: "bg-green-50 text-green-800 ring-green-600/25",
  deploy: "bg-sky-50 text-sky-800 ring-sky-600/25",
  read: "bg-amber-50 text-amber-900 ring-amber-600/30",
  view: "bg-slate-100 text-slate-700 ring-slate-500/20",
  none: "bg-white text-slate-500 ring-slate-300",
  custom: "bg-violet-50 text-violet-800 ring-violet-600/25",
};

export function AccessLevelIcon({
  level,
  className = "size-3.5 shrink-0",
}: {
  level: LevelOrCustom;
  className?: string;
}) {
  const props = iconProps(className);
  switch (level) {
    case "full":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" fill="currentColor" />
        </svg>
      );
    case "deploy":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 11.2V5M5.5 7.4 8 4.9l2.5 2.5" />
        </svg>
      );
    case "read":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 1.75a6.25 6.25 0 0 1 0 12.5z" fill="currentColor" stroke="none" />
        </svg>
      );
    case "view":
      return (
        <svg {...props}>
          <path d="M1.5 8S4 3.75 8 3.75 14.5 8 14.5 8 12 12.25 8 12.25 1.5 8 1.5 8z" />
          <circle cx="8" cy="8" r="1.75" />
        </svg>
      );
    case "none":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M3.6 12.4l8.8-8.8" />
        </svg>
      );
    case "custom":
      return (
        <svg {...props}>
          <path d="M2.5 4.5h11M2.5 8h11M2.5 11.5h11" />
          <circle cx="5.5" cy="4.5" r="1.4" fill="white" />
          <circle cx="10.5" cy="8" r="1.4" fill="white" />
          <circle cx="7" cy="11.5" r="1.4" fill="white" />
        </svg>
      );
  }
}

/** The level of one cell; the title lists exactly what it permits. */
export function AccessLevelBadge({ level, permissions }: { level: LevelOrCustom; permissions: readonly string[] }) {
  const meta = LEVEL_META[level];
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${LEVEL_CLASSES[level]}`}
      title={`${meta.label}: ${permissionList(permissions)}`}
    >
      <AccessLevelIcon level={level} />
      {meta.label}
    </span>
  );
}
