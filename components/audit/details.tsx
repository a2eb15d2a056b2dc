import type { AuditEventRow } from "@/lib/data/audit/log";

// One event's full record behind a native disclosure: the entity it touched, where the request
// came from, and the before/after JSON exactly as stored (the summary above it is a digest).

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <div className="min-w-0">
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</p>
      {value === null || value === undefined ? (
        <p className="mt-1 text-xs text-slate-500">Nothing recorded</p>
      ) : (
        <pre className="mt-1 max-h-64 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200">
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </div>
  );
}

export function AuditDetails({ event }: { event: AuditEventRow }) {
  return (
    <details className="group mt-1">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded text-xs font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-900 [&::-webkit-details-marker]:hidden">
        <svg
          viewBox="0 0 16 16"
          className="size-3 transition-transform group-open:rotate-90"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
          focusable="false"
        >
          <path d="m6 3.5 4.5 4.5L6 12.5" />
        </svg>
        Details<span className="sr-only"> of this event</span>
      </summary>
      <div className="mt-2 space-y-3">
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
          <dt className="text-slate-500">Action</dt>
          <dd className="font-mono break-all text-slate-800">{event.action}</dd>
          <dt className="text-slate-500">Entity</dt>
          <dd className="break-all text-slate-800">
            {event.entityType}
            {event.entityId ? <span className="font-mono"> {event.entityId}</span> : null}
          </dd>
          {event.ip ? (
            <>
              <dt className="text-slate-500">From address</dt>
              <dd className="font-mono text-slate-800">{event.ip}</dd>
            </>
          ) : null}
        </dl>
        <div className="grid gap-3 lg:grid-cols-2">
          <JsonBlock title="Before" value={event.before} />
          <JsonBlock title="After" value={event.after} />
        </div>
      </div>
    </details>
  );
}
