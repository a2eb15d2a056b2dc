import "server-only";
import { z } from "zod";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  toDbPermission,
  type EnvironmentPermission,
  type GlobalPermission,
} from "@/lib/domain/permissions";
import type { Permission as DbPermission } from "../../generated/prisma/client";
import { type Tx } from "../audit/record";
import { NotFoundError } from "../errors";

// What reading and changing the matrix share: permission order and role look-up.

export const environmentOrder = new Map<string, number>(ENVIRONMENT_PERMISSIONS.map((p, i) => [p, i]));
export const globalOrder = new Map<string, number>(GLOBAL_PERMISSIONS.map((p, i) => [p, i]));

/** Known permissions only, once each, in the vocabulary's order (so equal sets read the same). */
export function canonical<P extends string>(list: readonly string[], order: ReadonlyMap<string, number>): P[] {
  return [...new Set(list.filter((p) => order.has(p)))].sort((a, b) => order.get(a)! - order.get(b)!) as P[];
}

export const dbPermissions = (list: readonly (EnvironmentPermission | GlobalPermission)[]) =>
  list.map((p) => toDbPermission(p) as DbPermission);

export const roleKey = z.string().trim().min(1, "Choose a role").max(100);
export { environmentKey } from "../input";
export async function findRole(tx: Tx, key: string) {
  const role = await tx.role.findUnique({ where: { key }, select: { id: true, key: true, name: true } });
  if (!role) throw new NotFoundError(`Role "${key}"`);
  return role;
}

/** Sets one cell of the matrix to a named level or to an exact permission set. */
