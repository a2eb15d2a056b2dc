"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { actionResult, type ActionResult } from "@/lib/data/result";
import {
  createRole,
  createUser,
  deactivateUser,
  reactivateUser,
  resetSecondFactor,
  resetUserPassword,
  updateUserRoles,
  type RoleSummary,
  type UserSummary,
} from "@/lib/data/users/users";

// Thin on purpose: each action names the signed-in user and hands the form to ONE lib/data
// operation, which validates, authorizes (user.manage) and audits. Record ids are bound with
// .bind(null, id) and checked again by the operation's schema.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function texts(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

function done<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/users");
  return result;
}

export async function createUserAction(_: unknown, form: FormData): Promise<ActionResult<UserSummary>> {
  const actor = await requireActor();
  return done(
    await actionResult(() =>
      createUser(actor, {
        email: text(form, "email"),
        name: text(form, "name"),
        roles: texts(form, "roles"),
        password: text(form, "password"),
      }),
    ),
  );
}

export async function updateUserRolesAction(
  userId: string,
  _: unknown,
  form: FormData,
): Promise<ActionResult<UserSummary>> {
  const actor = await requireActor();
  return done(await actionResult(() => updateUserRoles(actor, { userId, roleKeys: texts(form, "roles") })));
}

export async function deactivateUserAction(userId: string): Promise<ActionResult<UserSummary>> {
  const actor = await requireActor();
  return done(await actionResult(() => deactivateUser(actor, { userId })));
}

export async function reactivateUserAction(userId: string): Promise<ActionResult<UserSummary>> {
  const actor = await requireActor();
  return done(await actionResult(() => reactivateUser(actor, { userId })));
}

export async function resetPasswordAction(
  userId: string,
  _: unknown,
  form: FormData,
): Promise<ActionResult<UserSummary>> {
  const actor = await requireActor();
  return done(await actionResult(() => resetUserPassword(actor, { userId, password: text(form, "password") })));
}

/** The person lost their phone: their authenticator app and recovery codes stop working. */
export async function resetSecondFactorAction(userId: string): Promise<ActionResult<UserSummary>> {
  const actor = await requireActor();
  return done(await actionResult(() => resetSecondFactor(actor, { userId })));
}

export async function createRoleAction(_: unknown, form: FormData): Promise<ActionResult<RoleSummary>> {
  const actor = await requireActor();
  return done(
    await actionResult(() =>
      createRole(actor, { key: text(form, "key"), name: text(form, "name"), description: text(form, "description") }),
    ),
  );
}
