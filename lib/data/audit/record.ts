import "server-only";
import type { Actor } from "@/lib/domain/access";
import { actorLabel } from "@/lib/domain/access";
import type { AuditAction } from "@/lib/domain/audit-actions";
import type { Prisma } from "@/lib/generated/prisma/client";

// The append-only audit trail. Every mutation calls `audit` with its own transaction client,
// so the change and its record commit or roll back together (no record, no change).

export type Tx = Prisma.TransactionClient;

export interface AuditInput {
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  environmentId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  ip?: string | null;
}

/** Who acted: a user, a token, or (null) the system itself. A label keeps the name as it was. */
export type AuditActor = Actor | null | { label: string; userId?: string | null };

export function actorColumns(actor: AuditActor) {
  if (actor === null) return { actorLabel: "system", actorUserId: null, actorTokenId: null };
  if ("label" in actor) return { actorLabel: actor.label, actorUserId: actor.userId ?? null, actorTokenId: null };
  return {
    actorLabel: actorLabel(actor),
    actorUserId: actor.kind === "user" ? actor.id : null,
    actorTokenId: actor.kind === "token" ? actor.id : null,
  };
}

export async function audit(tx: Tx, actor: AuditActor, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      ...actorColumns(actor),
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      environmentId: input.environmentId ?? null,
      before: input.before ?? undefined,
      after: input.after ?? undefined,
      ip: input.ip ?? null,
    },
  });
}
