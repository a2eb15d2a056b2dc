import "server-only";
import { can, type Actor } from "@/lib/domain/access";
import type { Permission } from "@/lib/domain/permissions";
import { db } from "../db";
import { actorColumns } from "./audit";
import { ForbiddenError } from "./errors";

/**
 * The first line of every guarded lib/data function. Refusals are recorded as `authz.denied`
 * in a transaction of their own — call this BEFORE opening the operation's transaction: a
 * refusal inside it would roll its own record back (and on the embedded database the open
 * transaction holds the only connection).
 */
export async function authorize(
  actor: Actor,
  permission: Permission,
  environment: { id: string; name: string } | null,
  attempted: string,
): Promise<void> {
  if (can(actor, permission, environment?.id ?? null)) return;
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
  throw new ForbiddenError(
    environment
      ? `You need the ${permission} permission in ${environment.name} to do this`
      : `You need the ${permission} permission to do this`,
  );
}
