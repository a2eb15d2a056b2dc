"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { createToken, revokeToken, type CreatedToken, type TokenSummary } from "@/lib/data/tokens/tokens";

// Thin: the signed-in user and the form go to ONE lib/data operation, which validates,
// authorizes (token.manage) and audits. The created token's secret travels back once, in this
// action's result, and is stored nowhere but as a hash.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function texts(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

export async function createTokenAction(_: unknown, form: FormData): Promise<ActionResult<CreatedToken>> {
  const actor = await requireActor();
  const result = await actionResult(() =>
    createToken(actor, {
      name: text(form, "name"),
      permissions: texts(form, "permissions"),
      // "all environments" submits no keys: an empty list means every environment
      environmentKeys: text(form, "scope") === "all" ? [] : texts(form, "environmentKeys"),
      expiresAt: text(form, "expiresAt"),
    }),
  );
  if (result.ok) revalidatePath("/tokens");
  return result;
}

export async function revokeTokenAction(tokenId: string): Promise<ActionResult<TokenSummary>> {
  const actor = await requireActor();
  const result = await actionResult(() => revokeToken(actor, { tokenId }));
  if (result.ok) revalidatePath("/tokens");
  return result;
}
