import "server-only";
import { can, secondFactorWithin, type Actor } from "@/lib/domain/access";
import { SECOND_FACTOR_PERMISSIONS, type Permission } from "@/lib/domain/permissions";
import { db } from "../db";
import { writeAuditEvent } from "./audit/record";
import type { Context } from "./context";
import { ForbiddenError, StepUpRequired, type Denial } from "./errors";

/**
 * The first step of every guarded lib/data function. A refusal is recorded as `authz.denied`
 * in a statement of its own, never in the operation's transaction (its rollback would erase
 * the record). Inside a caller's transaction the record is attached to the error and written
 * by `transaction()` once that transaction has rolled back.
 */
export async function authorize(
  actor: Actor,
  permission: Permission,
  environment: { id: string; name: string; secondFactor?: { required: boolean; maxAgeMinutes: number } } | null,
  attempted: string,
  ctx: Context = {},
): Promise<void> {
  if (can(actor, permission, environment?.id ?? null)) {
    if (environment) await requireSecondFactor(actor, permission, environment, attempted, ctx);
    return;
  }
  const error = new ForbiddenError(
    environment
      ? `You need the ${permission} permission in ${environment.name} to do this`
      : `You need the ${permission} permission to do this`,
    { actor, permission, environment, attempted },
  );
  if (!ctx.tx) await recordDenial(error);
  throw error;
}

/**
 * Where the environment asks for a second factor, its guarded actions (SECOND_FACTOR_PERMISSIONS)
 * need a session that passed one within the environment's time. Tokens have no session: they
 * cannot act there. Refusals are recorded like any other, with the reason.
 */
async function requireSecondFactor(
  actor: Actor,
  permission: Permission,
  environment: { id: string; name: string; secondFactor?: { required: boolean; maxAgeMinutes: number } },
  attempted: string,
  ctx: Context,
): Promise<void> {
  const rule = environment.secondFactor;
  if (!rule?.required || !SECOND_FACTOR_PERMISSIONS.includes(permission as never)) return;
  if (secondFactorWithin(actor, rule.maxAgeMinutes)) return;
  const reason =
    actor.kind === "token"
      ? `API tokens cannot act in ${environment.name}: it needs a person with a second factor`
      : `no second factor in the last ${rule.maxAgeMinutes} minutes, which ${environment.name} requires`;
  const message =
    actor.kind === "token"
      ? `${environment.name} requires a second factor for this; an API token cannot provide one`
      : `${environment.name} requires a second factor for this: enter a code from your authenticator app`;
  const error = new StepUpRequired(message, "second_factor", {
    actor,
    permission,
    environment: { id: environment.id, name: environment.name },
    attempted,
    reason,
  });
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
  const { actor, permission, environment, attempted, reason } = denial;
  // a statement of its own, never the refused operation's transaction (its rollback would erase it)
  await writeAuditEvent(db(), actor, {
    action: "authz.denied",
    entityType: "Permission",
    entityId: permission,
    environmentId: environment?.id ?? null,
    after: { permission, attempted, environment: environment?.name ?? null, ...(reason ? { reason } : {}) },
  });
}
