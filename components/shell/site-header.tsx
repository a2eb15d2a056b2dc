import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/sign-in/actions";
import { NavLinks, type NavLink } from "./nav-links";
import { Wordmark } from "./wordmark";

export interface HeaderUser {
  name: string;
  email: string;
  roles: string[];
  /** sections this user may open, beyond the ones everybody sees */
  extraLinks: NavLink[];
}

const COMMON: NavLink[] = [
  { href: "/", label: "Pipeline" },
  { href: "/releases", label: "Releases" },
  { href: "/environments", label: "Environments" },
  { href: "/flags", label: "Flags" },
  { href: "/metrics", label: "Metrics" },
  { href: "/access", label: "Access" },
];

export function SiteHeader({
  user,
  inbox,
  workCount,
  flagCount,
}: {
  user: HeaderUser | null;
  /** the bell with the unread count, streamed in by the layout */
  inbox?: ReactNode;
  /** beside "Pipeline": what waits for the signed-in user, streamed in by the layout */
  workCount?: ReactNode;
  /** beside "Flags": the flag change requests that wait for the signed-in user's approval */
  flagCount?: ReactNode;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6 lg:px-8">
        <Link href="/" className="rounded-md" aria-label="Greenlight, pipeline overview">
          <Wordmark />
        </Link>
        {user ? (
          <>
            <div className="flex items-center gap-3 sm:order-3 sm:border-l sm:border-slate-200 sm:pl-4">
              {inbox}
              <p className="max-w-[11rem] text-right text-xs leading-tight">
                <span className="block truncate font-medium text-slate-900">{user.name}</span>
                <span className="block truncate text-slate-500">
                  {user.roles.length ? user.roles.join(", ") : "No roles yet"}
                </span>
              </p>
              <Link
                href="/account"
                className="rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-900"
              >
                Security
              </Link>
              <form action={signOutAction}>
                <button
                  type="submit"
                  className="rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-900"
                >
                  Sign out
                </button>
              </form>
            </div>
            {/* on a phone the links get a row of their own and scroll sideways inside it */}
            <nav
              aria-label="Main"
              className="-mx-4 w-[calc(100%+2rem)] overflow-x-auto px-4 sm:order-2 sm:mx-0 sm:ml-auto sm:w-auto sm:px-0"
            >
              <NavLinks
                links={[
                  ...COMMON.map((link) =>
                    link.href === "/"
                      ? { ...link, badge: workCount }
                      : link.href === "/flags"
                        ? { ...link, badge: flagCount }
                        : link,
                  ),
                  ...user.extraLinks,
                ]}
              />
            </nav>
          </>
        ) : null}
      </div>
    </header>
  );
}
