import { formatAbsolute, formatRelative } from "./format";

/**
 * "3 hours ago", with the exact time (UTC) in the title and a machine-readable dateTime.
 * `now` comes from the page's data read, so every time on a page is relative to one instant.
 */
export function RelativeTime({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatAbsolute(date)}>
      {formatRelative(date, now)}
    </time>
  );
}

/** The exact time, for places where it matters more than "how long ago". */
export function AbsoluteTime({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatAbsolute(date)}</time>;
}
