import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { clientIp } from "@/lib/client-ip";
import { signInThrottle } from "@/lib/data/identity/sign-in";

// Auth.js's own endpoints, with one addition: a password sign-in posted while its account or
// address must wait (lib/domain/sign-in-delay.ts) gets 429 and Retry-After before any password
// is checked, unless it brings an authentication code, which may let the right password
// through. (The sign-in form goes through a server action that applies the same rule.)

export const { GET } = handlers;

export async function POST(request: NextRequest) {
  if (request.nextUrl.pathname.endsWith("/callback/credentials")) {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const email = form?.get("email");
    const code = form?.get("code");
    if (typeof email === "string" && !(typeof code === "string" && code.trim())) {
      const throttle = await signInThrottle(email, clientIp(request.headers));
      if (throttle.retryAfterSeconds > 0) {
        const retryAfter = String(Math.max(1, throttle.retryAfterSeconds));
        return Response.json(
          { error: "too_many_attempts", message: `Too many failed sign-ins. Try again in ${retryAfter} seconds.` },
          { status: 429, headers: { "retry-after": retryAfter } },
        );
      }
    }
  }
  return handlers.POST(request);
}
