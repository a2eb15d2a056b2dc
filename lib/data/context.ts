import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../db";
import { recordDenial } from "./authz";

// What an operation runs in. Called from a page, an action or a route, it opens its own
// transaction; called by another operation (applying an approved change runs the change; a
// rollout step records, transitions and audits), it joins the caller's, so the whole thing
// commits or rolls back as one.

export type Tx = Prisma.TransactionClient;
/** Anything that runs SQL: the process-wide client or a transaction. */
export type Sql = Pick<Tx, "$queryRaw" | "$executeRaw">;

export interface Context {
  /** the caller's transaction: run inside it instead of opening one */
  tx?: Tx;
}

export const NO_CONTEXT: Context = Object.freeze({});

/** The executor for reads: the caller's transaction when there is one, else the client. */
export function sqlOf(ctx: Context): Tx {
  return ctx.tx ?? db();
}

/**
 * Runs `fn` in the caller's transaction, or in a new one. A refusal raised inside a new one is
 * recorded (authz.denied) after it rolled back: recorded inside, the record would roll back too.
 */
export async function transaction<T>(
  ctx: Context,
  fn: (tx: Tx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  if (ctx.tx) return fn(ctx.tx);
  try {
    return await db().$transaction(fn, options);
  } catch (e) {
    await recordDenial(e);
    throw e;
  }
}
