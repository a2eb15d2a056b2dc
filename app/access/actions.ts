"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import {
  updateMatrixCell,
  updateRoleGlobalPermissions,
  type MatrixCell,
  type MatrixCellInput,
  type RoleGlobalInput,
} from "@/lib/data/access/matrix";
import { actionResult, type ActionResult } from "@/lib/data/result";
import type { GlobalPermission } from "@/lib/domain/permissions";

// The matrix's server actions. The input types are for the page's callers only: a forged POST
// can send anything, and each operation validates its input again with its zod schema.

// A matrix change can change what every page shows to anyone (the editor included), so the
// whole tree is revalidated, not just /access.

export async function updateMatrixCellAction(input: MatrixCellInput): Promise<ActionResult<MatrixCell>> {
  const actor = await requireActor();
  const result = await actionResult(() => updateMatrixCell(actor, input));
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

export async function updateRoleGlobalAction(input: RoleGlobalInput): Promise<ActionResult<GlobalPermission[]>> {
  const actor = await requireActor();
  const result = await actionResult(() => updateRoleGlobalPermissions(actor, input));
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
