import type { FreezeWindowSummary } from "@/lib/data/environments/read";
import { effectiveTimeZone } from "@/lib/domain/freeze";
import { clockTime, formatMinutes, weekdayName } from "@/components/ui/format";
import { SettingsFreezeDelete } from "./freeze-delete";

// The environment's freeze windows in plain words, each in its own time zone, those in force
// now marked; each with its delete button. Rendered on the server: the words do not depend on
// the reader's browser.

const DAY = 24 * 60;

/** "Wed 30 Dec 2099, 18:00" as the clocks in `timeZone` show it. */
function wallText(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: effectiveTimeZone(timeZone),
    hourCycle: "h23",
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("weekday")} ${part("day")} ${part("month")} ${part("year")}, ${part("hour")}:${part("minute")}`;
}

/** "Every Friday 16:00 → Monday 08:00 (Europe/Paris)", "Wed 30 Dec 2099, 18:00 → … (UTC)". */
export function describeFreezeWindow(w: FreezeWindowSummary): string {
  if (w.kind === "weekly" && w.weekday !== null && w.startMinute !== null && w.durationMinutes !== null) {
    const start = `Every ${weekdayName(w.weekday)} ${clockTime(w.startMinute)}`;
    if (w.durationMinutes >= 7 * DAY) return `${start}, for ${formatMinutes(w.durationMinutes)} (${w.timeZone})`;
    const end = w.weekday * DAY + w.startMinute + w.durationMinutes;
    return `${start} → ${weekdayName(Math.floor(end / DAY) % 7)} ${clockTime(end % DAY)} (${w.timeZone})`;
  }
  if (w.startsAt && w.endsAt)
    return `${wallText(w.startsAt, w.timeZone)} → ${wallText(w.endsAt, w.timeZone)} (${w.timeZone})`;
  return "Schedule incomplete: this window never applies";
}

export function SettingsFreezeWindows({
  environmentKey,
  windows,
  active,
}: {
  environmentKey: string;
  windows: FreezeWindowSummary[];
  active: { id: string; until: string }[];
}) {
  if (windows.length === 0)
    return <p className="text-sm text-slate-600">No freeze windows: promotions may happen at any time.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Freeze windows">
      {windows.map((w) => {
        const now = active.find((a) => a.id === w.id);
        return (
          <li
            key={w.id}
            className="flex flex-col gap-2 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between sm:gap-4"
          >
            <div className="min-w-0">
              <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                {w.reason}
                {now ? (
                  <span className="rounded-full bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-800 ring-1 ring-sky-200">
                    Active now · until {now.until}
                  </span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600">
                {w.kind === "weekly" ? "Weekly: " : "Once: "}
                {describeFreezeWindow(w)}
              </p>
            </div>
            <SettingsFreezeDelete environmentKey={environmentKey} window={{ id: w.id, reason: w.reason }} />
          </li>
        );
      })}
    </ul>
  );
}
