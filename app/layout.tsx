import type { Metadata, Viewport } from "next";
import { Suspense, type ReactNode } from "react";
import { SiteHeader } from "@/components/shell/site-header";
import { getActor } from "@/lib/session";
import { can } from "@/lib/domain/access";
import { SkipLink } from "@/components/shell/skip-link";
import { InboxBell } from "./inbox-bell";
import { PendingFlagChangeCount, PendingWorkCount } from "./pending-work-count";
import { Providers } from "./providers";
import "./globals.css";

// Every page reads live data per request; nothing may touch the database at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Greenlight", template: "%s · Greenlight" },
  description: "What runs where, and what waits for whom: releases through your environments.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#ffffff" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the header's user; pages check access themselves (a layout does not re-run on navigation)
  const actor = await getActor();
  const user = actor
    ? {
        name: actor.name ?? actor.email,
        email: actor.email,
        roles: actor.roles.map((r) => r.name),
        extraLinks: [
          ...(actor.global.has("user.manage") ? [{ href: "/users", label: "Users" }] : []),
          ...(actor.global.has("token.manage") ? [{ href: "/tokens", label: "Tokens" }] : []),
          ...(can(actor, "audit.view") || [...actor.byEnvironment.values()].some((p) => p.has("audit.view"))
            ? [{ href: "/audit", label: "Audit" }]
            : []),
        ],
      }
    : null;
  return (
    <html lang="en">
      <body className="min-h-screen">
        <SkipLink />
        <Providers>
          <SiteHeader
            user={user}
            inbox={
              <Suspense fallback={null}>
                <InboxBell />
              </Suspense>
            }
            workCount={
              <Suspense fallback={null}>
                <PendingWorkCount />
              </Suspense>
            }
            flagCount={
              <Suspense fallback={null}>
                <PendingFlagChangeCount />
              </Suspense>
            }
          />
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none sm:px-6 sm:py-8 lg:px-8">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
