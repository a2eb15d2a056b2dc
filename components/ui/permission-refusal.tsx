// What an admin page shows to someone whose roles do not include its permission: a plain
// statement of what is missing and whom to ask, instead of an error page.

export function PermissionRefusal({ permission, children }: { permission: string; children?: React.ReactNode }) {
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
        <rect x="5" y="10.5" width="14" height="9.5" rx="1.5" />
        <path strokeLinecap="round" d="M8.5 10.5V7.5a3.5 3.5 0 0 1 7 0v3" />
      </svg>
      <p className="mt-3 text-base font-semibold text-slate-900">
        You need the <code className="font-mono text-[0.95em]">{permission}</code> permission
      </p>
      <div className="mx-auto mt-1 max-w-prose text-sm text-slate-600">
        {children ?? "None of your roles grants it. Ask an admin if you need access to this page."}
      </div>
    </div>
  );
}
