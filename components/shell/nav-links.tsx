"use client";

import Link from "@/components/ui/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

// The main navigation. A client component only to know the current path for aria-current:
// "page" on the section's own page, "true" anywhere below it (a release inside Releases).

export interface NavLink {
  href: string;
  label: string;
  /** rendered after the label, inside the link (a count that belongs to its name) */
  badge?: ReactNode;
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
      {links.map(({ href, label, badge }) => {
        const current = currentFor(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={current}
              className={`flex items-center rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors sm:px-3 ${
                current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
              }`}
            >
              {label}
              {badge}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
