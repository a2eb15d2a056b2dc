import "server-only";
import type { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import type { Permission } from "@/lib/domain/permissions";
import { authorize } from "./authz";
import { NO_CONTEXT, sqlOf, type Context, type Tx } from "./context";
import { NotFoundError } from "./errors";
import { parseInput } from "./input";

// Every permission-guarded entry point of lib/data, read or write, is defined here. It
// validates its input (422 with field messages), finds where it acts (404), checks the access
// matrix (403, recorded as authz.denied) and only then runs, with a context that carries the
// caller's transaction when one operation runs another. The spec's `scope` says where it acts:
//  - "environment": in one environment, resolved from the input; `run` gets it, never null;
//  - "global":      nowhere in particular (users, tokens, the matrix's global column);
//  - "visible":     anyone signed in may call it; what it reads is filtered to the
//                   environments they may view (environment.view) or, for the audit trail, may
//                   audit, and it refuses (403, recorded) someone who may read nothing asked
//                   for; the authorization test checks that nothing of a hidden environment
//                   comes back.
// Definitions register themselves, so the exhaustive authorization test derives its list from
// this registry instead of a hand-written one.

export interface OperationEnvironment {
  id: string;
  name: string;
  /** whether acting here needs a recent second factor (lib/data/authz.ts), where it was read */
  secondFactor?: { required: boolean; maxAgeMinutes: number };
}

interface Call<I> {
  actor: Actor;
  input: I;
  ctx: Context;
}

export interface EnvironmentCall<I> extends Call<I> {
  environment: OperationEnvironment;
}

interface CommonSpec<I> {
  /** dotted noun.verb; for a write also the audit action of its success (e.g. "matrix.cell.update") */
  name: string;
  input: z.ZodType<I>;
  /** "read": changes nothing and writes no audit row on success */
  effect?: "read" | "write";
}

export interface EnvironmentOperationSpec<I, O> extends CommonSpec<I> {
  scope: "environment";
  permission: Permission;
  /** the environment the call acts in; throws NotFoundError */
  environment: (input: I, sql: Tx) => Promise<OperationEnvironment>;
  /**
   * What someone who may not even view the environment is told: "forbidden" (403, recorded)
   * or "not_found" (404: pages do not reveal environments people cannot see).
   */
  hidden?: "forbidden" | "not_found";
  run: (call: EnvironmentCall<I>) => Promise<O>;
}

export interface GlobalOperationSpec<I, O> extends CommonSpec<I> {
  scope: "global";
  permission: Permission;
  run: (call: Call<I>) => Promise<O>;
}

export interface VisibleSpec<I, O> extends CommonSpec<I> {
  scope: "visible";
  /**
   * The read names every environment on purpose (the access matrix's columns, where a row says
   * "No access"); the authorization test then does not count an environment's id as a leak.
   */
  showsEveryEnvironment?: true;
  run: (call: Call<I>) => Promise<O>;
}

export type OperationSpec<I, O> = EnvironmentOperationSpec<I, O> | GlobalOperationSpec<I, O> | VisibleSpec<I, O>;

export interface Operation<I, O> {
  (actor: Actor, rawInput: unknown, ctx?: Context): Promise<O>;
  spec: OperationSpec<I, O>;
}

export const operations = new Map<string, Operation<unknown, unknown>>();

export function defineOperation<I, O>(spec: OperationSpec<I, O>): Operation<I, O> {
  const operation = async (actor: Actor, rawInput: unknown, ctx: Context = NO_CONTEXT): Promise<O> => {
    const input = parseInput(spec.input, rawInput);
    switch (spec.scope) {
      case "environment": {
        const environment = await spec.environment(input, sqlOf(ctx));
        if (spec.hidden === "not_found" && !can(actor, "environment.view", environment.id))
          throw new NotFoundError(`Environment "${environment.name}"`);
        await authorize(actor, spec.permission, environment, spec.name, ctx);
        return spec.run({ actor, input, environment, ctx });
      }
      case "global":
        await authorize(actor, spec.permission, null, spec.name, ctx);
        return spec.run({ actor, input, ctx });
      case "visible":
        return spec.run({ actor, input, ctx });
    }
  };
  const defined = Object.assign(operation, { spec });
  if (operations.has(spec.name)) throw new Error(`operation ${spec.name} is defined twice`);
  operations.set(spec.name, defined as Operation<unknown, unknown>);
  return defined;
}
export { fieldErrors, parseInput } from "./input";
