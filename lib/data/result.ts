import "server-only";
import { DomainError, StepUpRequired, ValidationError, type StepUp } from "./errors";

// The one place where errors become answers. Domain errors carry a safe message; anything else
// is logged with a reference and shown as a generic message (never e.message to a client).

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      code: DomainError["code"] | "internal";
      message: string;
      fieldErrors?: Record<string, string[]>;
      /** what the person must do before trying again (the page asks, then retries) */
      stepUp?: StepUp;
    };

function reference(): string {
  return Math.random().toString(36).slice(2, 10);
}

export function toFailure(e: unknown): Extract<ActionResult<never>, { ok: false }> {
  if (e instanceof ValidationError) return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors };
  if (e instanceof StepUpRequired) return { ok: false, code: e.code, message: e.message, stepUp: e.stepUp };
  if (e instanceof DomainError) return { ok: false, code: e.code, message: e.message };
  const ref = reference();
  console.error(`internal error ${ref}:`, e);
  return { ok: false, code: "internal", message: `Something went wrong (reference ${ref}). Try again.` };
}

/** For server actions: run, and turn a thrown domain error into a result the form can show. */
export async function actionResult<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (e) {
    // Next's redirect()/notFound() are thrown too: they must pass through
    if (e instanceof Error && "digest" in e && typeof e.digest === "string" && e.digest.startsWith("NEXT_")) throw e;
    return toFailure(e);
  }
}
