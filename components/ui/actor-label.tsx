import type { Actor } from "@/lib/data/pipeline";

/** A small outline saying what kind of actor acted: a person, an API token, or Greenlight itself. */
export function ActorMarker({ kind, className = "size-3.5" }: { kind: Actor["kind"]; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      className={`${className} shrink-0 text-slate-400`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      aria-hidden="true"
      focusable="false"
    >
      {kind === "user" ? (
        <>
          <circle cx="8" cy="5.5" r="2.75" />
          <path d="M2.75 14c.6-2.9 2.7-4.5 5.25-4.5s4.65 1.6 5.25 4.5" />
        </>
      ) : kind === "token" ? (
        <>
          <circle cx="5.5" cy="10.5" r="2.75" />
          <path d="M7.5 8.5 13 3M11 5l1.5 1.5" />
        </>
      ) : (
        <>
          <circle cx="8" cy="8" r="2.25" />
          <path d="M8 1.75v2M8 12.25v2M1.75 8h2M12.25 8h2M3.6 3.6l1.4 1.4M11 11l1.4 1.4M3.6 12.4 5 11M11 5l1.4-1.4" />
        </>
      )}
    </svg>
  );
}

/** Who did it: a person, a CI token (marked as such), or Greenlight itself. */
export function ActorLabel({ actor }: { actor: Actor }) {
  if (actor.kind === "token")
    return (
      <span className="inline-flex items-center gap-1">
        <ActorMarker kind="token" />
        {actor.label}
      </span>
    );
  return <span>{actor.kind === "system" ? "Greenlight (automatic)" : actor.label}</span>;
}
