import "server-only";
import { can, type Actor } from "@/lib/domain/access";
import type { Permission } from "@/lib/domain/permissions";
import { db } from "../db";
import { actorColumns } from "./audit/record";
import type { Context } from "./context";
import { ForbiddenError, type Denial } from "./errors";

/**
 * The first step of every guarded lib/data function. A refusal is recorded as `authz.denied`
 * in a statement of its own, never in the operation's transaction (its rollback would erase
 * the record). Inside a caller's transaction the record is attached to the error and written
 * by `transaction()` once that transaction has rolled back.
 */
export async function authorize(
  actor: Actor,
  permission: Permission,
  environment: { id: string; name: string } | null,
  attempted: string,
  ctx: Context = {},
): Promise<void> {
  if (can(actor, permission, environment?.id ?? null)) return;
  const error = new ForbiddenError(
    environment
      ? `You need the ${permission} permission in ${environment.name} to do this`
      : `You need the ${permission} permission to do this`,
    { actor, permission, environment, attempted },
  );
  if (!ctx.tx) await recordDenial(error);
  throw error;
}

function denialOf(e: unknown): Denial | null {
  return e instanceof ForbiddenError && e.denial && !e.denialRecorded ? e.denial : null;
}

/** Writes the authz.denied row a refusal carries, once. */
export async function recordDenial(e: unknown): Promise<void> {
  const denial = denialOf(e);
  if (!denial || !(e instanceof ForbiddenError)) return;
  e.denialRecorded = true;
  const { actor, permission, environment, attempted } = denial;
  await db().auditEvent.create({
    data: {
      ...actorColumns(actor),
      action: "authz.denied",
      entityType: "Permission",
      entityId: permission,
      environmentId: environment?.id ?? null,
      after: { permission, attempted, environment: environment?.name ?? null },
    },
  });
}
