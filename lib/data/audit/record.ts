import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/domain/access";
import { actorLabel } from "@/lib/domain/access";
import type { AuditAction } from "@/lib/domain/audit-actions";
import type { Prisma } from "@/lib/generated/prisma/client";

// The append-only audit trail. Every mutation calls `audit` with its own transaction client,
// so the change and its record commit or roll back together (no record, no change).
//
// A row says what it shows by itself: the actor's label, and the environment's key and name as
// they were, copied in by the same INSERT that writes the row (no extra round trip). The trail
// has no foreign keys, and a trigger refuses UPDATE, DELETE and TRUNCATE (migration
// security_hardening), so deleting a user, a token or an environment later changes nothing here.

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

// the last id's millisecond and counter, so that ids made by this process only ever increase
const lastId = { ms: -1, counter: 0 };

/**
 * A UUIDv7 (RFC 9562) whose order is the order of the calls in this process: within one
 * millisecond the 12 bits after the version are a counter (RFC 9562's "method 1"), started at a
 * random value below 2048 and incremented, so two events of one transaction list in the order
 * they were written. A clock that steps back, or a counter that runs out, keeps the last
 * millisecond (or moves one past it) rather than go backwards. Across processes ids sort by
 * millisecond, then at random.
 */
export function auditEventId(now = Date.now()): string {
  const bytes = randomBytes(16);
  let ms = Math.max(0, Math.floor(now));
  if (ms > lastId.ms) {
    lastId.counter = ((bytes[6]! << 8) | bytes[7]!) & 0x7ff;
  } else {
    ms = lastId.ms;
    lastId.counter += 1;
    if (lastId.counter > 0xfff) {
      ms += 1;
      lastId.counter = 0;
    }
  }
  lastId.ms = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (lastId.counter >> 8);
  bytes[7] = lastId.counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const json = (value: Prisma.InputJsonValue | null | undefined) =>
  value === null || value === undefined ? null : JSON.stringify(value);

/**
 * Writes one event with whatever runs SQL: a transaction (the usual case), or the client for a
 * record that must outlive a rollback (authz.denied). One statement: the environment's key and
 * name are read by id inside the INSERT; an id that names no environment stores neither.
 */
export async function writeAuditEvent(
  sql: Pick<Tx, "$executeRaw">,
  actor: AuditActor,
  input: AuditInput,
): Promise<void> {
  const who = actorColumns(actor);
  const environmentId = input.environmentId ?? null;
  // the moment of the call, as Prisma's @default(now()) gave it: not the transaction's start
  const at = new Date();
  await sql.$executeRaw`
    insert into "AuditEvent" (id, at, "actorUserId", "actorTokenId", "actorLabel", action, "entityType", "entityId",
      "environmentId", "environmentKey", "environmentName", before, after, ip)
    select ${auditEventId(at.getTime())}::uuid, (${at.toISOString()}::timestamptz at time zone 'UTC'), ${who.actorUserId}::uuid, ${who.actorTokenId}::uuid, ${who.actorLabel},
      ${input.action}, ${input.entityType}, ${input.entityId ?? null},
      ${environmentId}::uuid, e.key, e.name, ${json(input.before)}::jsonb, ${json(input.after)}::jsonb, ${input.ip ?? null}
    from (select 1) as one left join "Environment" e on e.id = ${environmentId}::uuid`;
}

export async function audit(tx: Tx, actor: AuditActor, input: AuditInput): Promise<void> {
  await writeAuditEvent(tx, actor, input);
}
