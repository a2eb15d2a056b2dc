import type { FreezeWindowSummary } from "@/lib/data/environments/read";
import { clockTime, formatAbsolute, formatMinutes, weekdayName } from "@/components/ui/format";

/** Times when nothing may be deployed here, in the words a person would use. */
export function FreezeWindows({ windows }: { windows: FreezeWindowSummary[] }) {
  if (windows.length === 0)
    return <p className="text-sm text-slate-600">No freeze windows: deploys may happen at any time.</p>;
  return (
    <ul className="space-y-2">
      {windows.map((w) => (
        <li key={w.id} className="flex gap-3 text-sm">
          <svg
            viewBox="0 0 16 16"
            className="mt-0.5 size-4 shrink-0 text-sky-600"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinecap="round"
            aria-hidden="true"
            focusable="false"
          >
            <path d="M8 1.5v13M2.4 4.75l11.2 6.5M2.4 11.25l11.2-6.5" />
          </svg>
          <div>
            <p className="font-medium text-slate-900">{w.reason}</p>
            <p className="text-slate-600">{describe(w)}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

function describe(w: FreezeWindowSummary): string {
  if (w.kind === "weekly" && w.weekday !== null && w.startMinute !== null && w.durationMinutes !== null) {
    const start = `Every ${weekdayName(w.weekday)} ${clockTime(w.startMinute)}`;
    // within a week, the end reads best as a day and a time; longer windows keep their length
    if (w.durationMinutes >= 7 * 24 * 60) return `${start}, for ${formatMinutes(w.durationMinutes)} (${w.timeZone})`;
    const end = w.weekday * 24 * 60 + w.startMinute + w.durationMinutes;
    return `${start} until ${weekdayName(Math.floor(end / (24 * 60)) % 7)} ${clockTime(end % (24 * 60))} (${w.timeZone})`;
  }
  if (w.startsAt && w.endsAt) return `${formatAbsolute(w.startsAt)} until ${formatAbsolute(w.endsAt)}`;
  if (w.startsAt) return `From ${formatAbsolute(w.startsAt)}, until lifted`;
  return "Schedule incomplete";
}
