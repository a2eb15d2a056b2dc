import type { EnvironmentSummary } from "@/lib/data/pipeline";

/** An environment's name with its colour as a small swatch (decorative) and a lock when protected. */
export function EnvironmentName({
  environment,
  className = "",
}: {
  environment: Pick<EnvironmentSummary, "name" | "color" | "protected">;
  className?: string;
}) {
  return (
    <span className={`inline-flex items-center gap-1.5 ${className}`}>
      <span
        className="size-2.5 shrink-0 rounded-full"
        style={{ backgroundColor: environment.color }}
        aria-hidden="true"
      />
      {environment.name}
      {environment.protected ? <ProtectedMark /> : null}
    </span>
  );
}

const LOCK_PATHS = (
  <>
    <rect x="3.5" y="7" width="9" height="6.5" rx="1.5" />
    <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
  </>
);

/** A visible "Protected" label, for an environment's own page. */
export function ProtectedPill() {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-slate-800 px-2 py-0.5 text-xs font-medium text-white">
      <svg
        viewBox="0 0 16 16"
        className="size-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        aria-hidden="true"
        focusable="false"
      >
        {LOCK_PATHS}
      </svg>
      Protected
    </span>
  );
}

export function ProtectedMark() {
  return (
    <span className="inline-flex items-center text-slate-500" title="Protected: changes need approval">
      <svg
        viewBox="0 0 16 16"
        className="size-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        aria-hidden="true"
        focusable="false"
      >
        {LOCK_PATHS}
      </svg>
      <span className="sr-only">(protected)</span>
    </span>
  );
}
