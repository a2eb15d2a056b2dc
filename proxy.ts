import { NextResponse, type NextRequest } from "next/server";

// Only redirects: a visitor without a session cookie (or API token) goes to sign-in, with a same-origin return
// address. No permission logic and no database here — lib/data checks every request itself.

const PUBLIC = [
  /^\/sign-in(\/|$)/,
  /^\/api\/auth\//,
  /^\/api\/health$/,
  /^\/api\/v1\//,
  /^\/api\/internal\//,
  /^\/api\/live$/,
];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
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
