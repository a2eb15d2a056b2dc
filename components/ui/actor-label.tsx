import type { Actor } from "@/lib/data/pipeline";

/** Who did it: a person, a CI token (marked as such), or Greenlight itself. */
export function ActorLabel({ actor }: { actor: Actor }) {
  if (actor.kind === "token")
    return (
      <span className="inline-flex items-center gap-1">
        <svg
          viewBox="0 0 16 16"
          className="size-3.5 text-slate-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          aria-hidden="true"
          focusable="false"
        >
          <circle cx="5.5" cy="10.5" r="2.75" />
          <path d="M7.5 8.5 13 3M11 5l1.5 1.5" />
        </svg>
        {actor.label}
      </span>
    );
  return <span>{actor.kind === "system" ? "Greenlight (automatic)" : actor.label}</span>;
}
