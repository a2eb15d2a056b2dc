"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth";
import { clientIp } from "@/lib/client-ip";
import { signInThrottle } from "@/lib/data/identity/sign-in";
import { recordSignOut } from "@/lib/data/identity/sign-out";
import { safeReturnPath } from "@/lib/domain/return-path";
import { getActor } from "@/lib/session";

export interface SignInState {
  error: string | null;
  email: string;
  /** the account or address must wait: the form offers the authentication code field */
  throttled: boolean;
}

const GENERIC = "That email and password do not match an active account.";

function waitMessage(seconds: number): string {
  const wait =
    seconds < 60
      ? `${seconds} second${seconds === 1 ? "" : "s"}`
      : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? "" : "s"}`;
  return `Too many failed sign-ins. Try again in ${wait}, or sign in now with your password and a code from your authenticator app.`;
}

const input = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
  code: z
    .string()
    .trim()
    .max(32, "That is not an authentication code")
    .optional()
    .transform((c) => c || undefined),
  callbackUrl: z.string().optional(),
});

export async function signInWithPasswordAction(_: SignInState, form: FormData): Promise<SignInState> {
  const parsed = input.safeParse(Object.fromEntries(form));
  const typed = form.get("email");
  const email = typeof typed === "string" ? typed : "";
  const typedCode = form.get("code");
  const hadCode = typeof typedCode === "string" && typedCode.trim() !== "";
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? GENERIC, email, throttled: hadCode };
  const { code } = parsed.data;
  const ip = clientIp(await headers());
  // without a code, a wait is answered before any password is checked
  if (!code) {
    const throttle = await signInThrottle(parsed.data.email, ip);
    if (throttle.retryAfterSeconds > 0)
      return { error: waitMessage(throttle.retryAfterSeconds), email, throttled: true };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      ...(code ? { code } : {}),
      redirectTo: safeReturnPath(parsed.data.callbackUrl),
    });
  } catch (e) {
    // a successful sign-in "throws" Next's redirect: let it through
    if (!(e instanceof AuthError)) throw e;
    if (e instanceof CredentialsSignin && e.code === "throttled") {
      const throttle = await signInThrottle(parsed.data.email, ip);
      return { error: waitMessage(Math.max(1, throttle.retryAfterSeconds)), email, throttled: true };
    }
    return { error: GENERIC, email, throttled: Boolean(code) };
  }
  return { error: null, email, throttled: false };
}

export async function signInWithProviderAction(form: FormData): Promise<void> {
  const provider = z.enum(["oidc", "github"]).parse(form.get("provider"));
  await signIn(provider, { redirectTo: safeReturnPath(form.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await recordSignOut(await getActor());
  await signOut({ redirectTo: "/sign-in" });
}
