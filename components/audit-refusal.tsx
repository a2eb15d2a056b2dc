import Link from "next/link";

/** What the audit page says to someone who may not read the trail, and how to get access. */
export function AuditRefusal({ message }: { message: string }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <svg
        viewBox="0 0 24 24"
        className="mx-auto size-8 text-slate-400"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        aria-hidden="true"
        focusable="false"
      >
        <rect x="5" y="10.5" width="14" height="9.5" rx="2" />
        <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
      </svg>
      <p className="mt-3 text-base font-semibold text-slate-900">You can’t view the audit log</p>
      <div className="mx-auto mt-1 max-w-prose space-y-2 text-sm text-slate-600">
        <p>{message}.</p>
        <p>
          Admins see every event; a role whose access in an environment is “Read only” or “Full access” sees that
          environment’s events. Ask an admin if your work needs it.{" "}
          <Link href="/access" className="font-medium text-brand-700 underline">
            See the access matrix
          </Link>
        </p>
      </div>
    </div>
  );
}
