"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// The main navigation. A client component only to know the current path for aria-current:
// "page" on the section's own page, "true" anywhere below it (a release inside Releases).

export interface NavLink {
  href: string;
  label: string;
}

function currentFor(pathname: string, href: string): "page" | "true" | undefined {
  if (pathname === href) return "page";
  if (href !== "/" && pathname.startsWith(`${href}/`)) return "true";
  return undefined;
}

export function NavLinks({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex items-center gap-1 sm:gap-2">
      {links.map(({ href, label }) => {
        const current = currentFor(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={current}
              className={`block rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors sm:px-3 ${
                current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
              }`}
            >
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
