import type { AuditActorKind } from "@/lib/data/audit/log";
import { ActorMarker } from "@/components/ui/actor-label";

// Who acted, with a marker saying what kind of actor it was: a person, an API token (a
// machine), or Greenlight itself. The marker has a text equivalent for screen readers.

const KIND_TEXT: Record<AuditActorKind, string> = {
  user: "Person",
  token: "API token",
  system: "Greenlight (automatic)",
};

export function AuditActor({ label, kind }: { label: string; kind: AuditActorKind }) {
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5" title={KIND_TEXT[kind]}>
      <ActorMarker kind={kind} />
      <span className="sr-only">{KIND_TEXT[kind]}: </span>
      <span className="truncate">{kind === "system" ? "Greenlight" : label}</span>
    </span>
  );
}
