"use server";

import { headers } from "next/headers";
import { clientIp } from "@/lib/client-ip";
import { accountSecurity } from "@/lib/data/account/security";
import { confirmPassword } from "@/lib/data/identity/reauthenticate";
import {
  beginEnrolment,
  confirmEnrolment,
  secondFactorStatus,
  verifySecondFactor,
  type Enrolment,
} from "@/lib/data/identity/second-factor";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { requireActor } from "@/lib/session";

// The signed-in person's own second factor and "confirm it's you" steps. Thin: each action
// names the signed-in user and hands the input to ONE lib/data function, which validates it,
// acts on that person's own account only, audits and limits wrong tries.

/** Starts (or restarts) setting up an authenticator app: a new secret, as a QR code and as text. */
export async function beginEnrolmentAction(): Promise<ActionResult<Enrolment>> {
  const actor = await requireActor();
  return actionResult(() => beginEnrolment(actor));
}

/** Confirms the app with a code from it; the recovery codes come back here, once. */
export async function confirmEnrolmentAction(input: {
  code: string;
}): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  const actor = await requireActor();
  // no revalidation: the codes stay on screen until the person says they saved them
  return actionResult(() => confirmEnrolment(actor, input));
}

/** A code from the app or a recovery code: this session counts as having passed a second factor. */
export async function verifySecondFactorAction(input: { code: string }): Promise<ActionResult<{ verifiedAt: Date }>> {
  const actor = await requireActor();
  const ip = clientIp(await headers());
  // no revalidation: the action that asked is tried again at once, and refreshes its page
  return actionResult(() => verifySecondFactor(actor, input, ip));
}

/** The password again, for actions that need a recent sign-in (creating an API token). */
export async function confirmPasswordAction(input: { password: string }): Promise<ActionResult<{ at: Date }>> {
  const actor = await requireActor();
  const ip = clientIp(await headers());
  return actionResult(() => confirmPassword(actor, input, ip));
}

export interface StepUpContext {
  enrolled: boolean;
  hasPassword: boolean;
  /** how this session signed in: an identity provider to sign in again with, when not "password" */
  signInMethod: string | null;
}

/** What the "confirm it's you" dialog can ask of this person: a code, a password, or neither. */
export async function stepUpContextAction(): Promise<ActionResult<StepUpContext>> {
  const actor = await requireActor();
  return actionResult(async () => {
    const [status, security] = await Promise.all([secondFactorStatus(actor), accountSecurity(actor)]);
    return { enrolled: status.enrolled, hasPassword: security.hasPassword, signInMethod: security.signInMethod };
  });
}
