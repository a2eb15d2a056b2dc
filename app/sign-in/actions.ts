"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth";
import { clientIp } from "@/lib/client-ip";
import { signInThrottle, MAX_FAILURES } from "@/lib/data/identity/sign-in";
import { recordSignOut } from "@/lib/data/identity/sign-out";
import { safeReturnPath } from "@/lib/domain/return-path";
import { getActor } from "@/lib/session";

export interface SignInState {
  error: string | null;
  email: string;
}

const GENERIC = "That email and password do not match an active account.";

function waitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

const input = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
  callbackUrl: z.string().optional(),
});

export async function signInWithPasswordAction(_: SignInState, form: FormData): Promise<SignInState> {
  const parsed = input.safeParse(Object.fromEntries(form));
  const typed = form.get("email");
  const email = typeof typed === "string" ? typed : "";
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? GENERIC, email };
  const throttle = await signInThrottle(parsed.data.email, clientIp(await headers()));
  if (throttle.failures >= MAX_FAILURES) return { error: waitMessage(throttle.retryAfterSeconds), email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeReturnPath(parsed.data.callbackUrl),
    });
  } catch (e) {
    // a successful sign-in "throws" Next's redirect: let it through
    if (!(e instanceof AuthError)) throw e;
    if (e instanceof CredentialsSignin && e.code === "throttled") return { error: waitMessage(15 * 60), email };
    return { error: GENERIC, email };
  }
  return { error: null, email };
}

export async function signInWithProviderAction(form: FormData): Promise<void> {
  const provider = z.enum(["oidc", "github"]).parse(form.get("provider"));
  await signIn(provider, { redirectTo: safeReturnPath(form.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await recordSignOut(await getActor());
  await signOut({ redirectTo: "/sign-in" });
}
