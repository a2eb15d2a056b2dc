import type { AuditActorKind } from "@/lib/data/audit-log";

// Who acted, with a marker saying what kind of actor it was: a person, an API token (a
// machine), or Greenlight itself. The marker has a text equivalent for screen readers.

const KIND_TEXT: Record<AuditActorKind, string> = {
  user: "Person",
  token: "API token",
  system: "Greenlight (automatic)",
};

function Marker({ kind }: { kind: AuditActorKind }) {
  return (
    <svg
      viewBox="0 0 16 16"
      className="size-3.5 shrink-0 text-slate-400"
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

export function AuditActor({ label, kind }: { label: string; kind: AuditActorKind }) {
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5" title={KIND_TEXT[kind]}>
      <Marker kind={kind} />
      <span className="sr-only">{KIND_TEXT[kind]}: </span>
      <span className="truncate">{kind === "system" ? "Greenlight" : label}</span>
    </span>
  );
}
