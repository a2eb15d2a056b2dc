/** Greenlight's mark: a signal lamp lit green, and the name. */
export function Wordmark() {
  return (
    <span className="inline-flex items-center gap-2 text-base font-semibold tracking-tight text-slate-900">
      <svg viewBox="0 0 24 24" className="size-6" aria-hidden="true" focusable="false">
        <rect x="6" y="1.5" width="12" height="21" rx="6" className="fill-slate-900" />
        <circle cx="12" cy="7.5" r="3" className="fill-slate-600" />
        <circle cx="12" cy="16.5" r="3" className="fill-brand-500" />
      </svg>
      Greenlight
    </span>
  );
}
