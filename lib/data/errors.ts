import type { Actor } from "@/lib/domain/access";
import type { Permission } from "@/lib/domain/permissions";

// Typed errors thrown by lib/data. One adapter (lib/data/result.ts) maps them to
// { ok: false, code, message } for server actions and to HTTP statuses for API routes;
// any other error is logged and shown as a generic message.

export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: "not_found" | "forbidden" | "conflict" | "validation",
    readonly status: 403 | 404 | 409 | 422,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`${what} was not found`, "not_found", 404);
  }
}

/** A refusal by the access matrix, to be recorded as authz.denied (lib/data/authz.ts). */
export interface Denial {
  actor: Actor;
  permission: Permission;
  environment: { id: string; name: string } | null;
  attempted: string;
  /** why, when the permission itself is held (e.g. no recent second factor) */
  reason?: string;
}

export class ForbiddenError extends DomainError {
  /** set once the refusal's authz.denied row is written */
  denialRecorded = false;
  constructor(
    message = "You do not have permission to do this",
    readonly denial: Denial | null = null,
  ) {
    super(message, "forbidden", 403);
  }
}

/**
 * The permission is held, but this action needs the person to prove themselves again first:
 * a recent second factor where the environment asks for one, or a recent sign-in (password
 * again) for minting tokens. The UI asks and retries; an API client is told why (403).
 */
export type StepUp = "second_factor" | "recent_sign_in";

export class StepUpRequired extends ForbiddenError {
  constructor(
    message: string,
    readonly stepUp: StepUp,
    denial: Denial | null = null,
  ) {
    super(message, denial);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, "conflict", 409);
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message, "validation", 422);
  }
}
