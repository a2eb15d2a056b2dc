import Link from "@/components/ui/link";

/** The flag grid's way to the "New flag" form; render it only for people with flag.manage. */
export function FlagNewLink() {
  return (
    <Link
      href="/flags/new"
      className="inline-flex items-center gap-1.5 rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900"
    >
      <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden="true" focusable="false">
        <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
      </svg>
      New flag
    </Link>
  );
}
