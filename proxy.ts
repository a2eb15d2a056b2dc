import { NextResponse, type NextRequest } from "next/server";
import { decodablePath, foreignAction } from "@/lib/http/request-guards";

// Sends a visitor without a session cookie (or API token) to sign-in, with a same-origin return
// address, and turns away two kinds of request before any page or action runs:
//  - an address that names nothing: broken percent-encoding (/releases/%ff) or a NUL (%00) in
//    the path is a 404 — Next would otherwise fail to decode it and answer 500;
//  - a server action (a POST with a Next-Action header) sent from another site: an Origin
//    other than the public one (lib/public-url.ts) is a 403 — Next's own check would answer 500.
// Both checks are in lib/http/request-guards.ts.
// No permission logic and no database here: lib/data checks every request itself.

const PUBLIC = [
  /^\/sign-in(\/|$)/,
  /^\/api\/auth\//,
  /^\/api\/health$/,
  /^\/api\/v1\//,
  /^\/api\/internal\//,
  /^\/api\/live(\/deployment)?$/,
  // the bell's poll: the route kit answers 401 itself (a poll must not follow a redirect)
  /^\/api\/notifications$/,
  // a download through the route kit, which answers 401 itself: a redirect to a page is no
  // answer for a script holding a stale cookie or none
  /^\/audit\/export$/,
];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!decodablePath(pathname)) return new NextResponse("Not found", { status: 404 });
  if (foreignAction(request))
    return new NextResponse("Forbidden: this form was sent from another site", { status: 403 });
  if (PUBLIC.some((p) => p.test(pathname))) return NextResponse.next();
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return NextResponse.next();
  // machines present an API token instead; the route itself checks it
  if (/^Bearer\s/i.test(request.headers.get("authorization") ?? "")) return NextResponse.next();
  const url = new URL("/sign-in", request.url);
  if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(url);
}

export const config = {
  // everything but static assets
  matcher: ["/((?!_next/static|_next/image|favicon.ico|readme/).*)"],
};
