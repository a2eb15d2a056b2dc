import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import type { Permission } from "@/lib/domain/permissions";
import { authorize } from "./authz";
import { ValidationError } from "./errors";

// Every permission-guarded entry point of lib/data is defined with `defineOperation`: it
// validates its input (422 with field messages), finds the environment it acts in (404),
// checks the access matrix (403, audited as authz.denied) and only then runs. Definitions
// register themselves, so the exhaustive authorization test derives its list of operations
// from this registry instead of a hand-written one.

export interface OperationEnvironment {
  id: string;
  name: string;
}

export interface OperationSpec<I, O> {
  /** dotted verb, also the audit action of its success (e.g. "matrix.cell.update") */
  name: string;
  permission: Permission;
  input: z.ZodType<I>;
  /** the environment the call acts in, or null for a global operation; throws NotFoundError */
  environment: (input: I) => Promise<OperationEnvironment | null>;
  run: (actor: Actor, input: I, environment: OperationEnvironment | null) => Promise<O>;
}

export interface Operation<I, O> {
  (actor: Actor, rawInput: unknown): Promise<O>;
  spec: OperationSpec<I, O>;
}

export const operations = new Map<string, Operation<unknown, unknown>>();

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function parseInput<I>(schema: z.ZodType<I>, raw: unknown): I {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError("Some fields need attention", fieldErrors(parsed.error));
  return parsed.data;
}

export function defineOperation<I, O>(spec: OperationSpec<I, O>): Operation<I, O> {
  const operation = async (actor: Actor, rawInput: unknown): Promise<O> => {
    const input = parseInput(spec.input, rawInput);
    const environment = await spec.environment(input);
    await authorize(actor, spec.permission, environment, spec.name);
    return spec.run(actor, input, environment);
  };
  const defined = Object.assign(operation, { spec });
  if (operations.has(spec.name)) throw new Error(`operation ${spec.name} is defined twice`);
  operations.set(spec.name, defined as Operation<unknown, unknown>);
  return defined;
}
