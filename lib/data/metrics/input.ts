import { z } from "zod";
import { environmentKey, isoDay } from "../input";

// What a metrics read is asked: an environment (default: the last one in pipeline order the
// viewer may see), an application (default: all), and a window — the last 7, 30 or 90 days, or
// whole days from `from` to `to` (inclusive, UTC). A window that ends before it starts or spans
// more than two years is refused with field messages (422).

export const RANGES = ["7", "30", "90"] as const;
export type PresetRange = (typeof RANGES)[number];
export const MAX_RANGE_DAYS = 731;
const DAY = 86_400_000;

export const metricsFilters = z
  .object({
    environment: environmentKey.optional(),
    application: z.string().trim().min(1, "Choose an application").max(100).optional(),
    range: z.enum(["7", "30", "90", "custom"], { error: "Choose 7, 30 or 90 days, or a custom range" }).optional(),
    from: isoDay().optional(),
    to: isoDay().optional(),
  })
  .superRefine((value, ctx) => {
    const custom = value.range === "custom" || value.from !== undefined || value.to !== undefined;
    if (!custom) return;
    if (!value.from) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "Enter the first day of the range" });
      return;
    }
    if (!value.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "Enter the last day of the range" });
      return;
    }
    const from = Date.parse(value.from);
    const to = Date.parse(value.to);
    if (Number.isNaN(from) || Number.isNaN(to)) return;
    if (to < from) ctx.addIssue({ code: "custom", path: ["to"], message: "End the range on or after its first day" });
    else if ((to - from) / DAY + 1 > MAX_RANGE_DAYS)
      ctx.addIssue({ code: "custom", path: ["to"], message: "A range spans at most 2 years" });
  });

export type MetricsFilters = z.input<typeof metricsFilters>;
type Parsed = z.output<typeof metricsFilters>;

export interface ResolvedWindow {
  from: Date;
  to: Date;
  range: PresetRange | "custom";
  /** the days as asked (YYYY-MM-DD), for links and forms */
  fromDay: string;
  toDay: string;
}

const dayText = (d: Date) => d.toISOString().slice(0, 10);

/** The window asked for, at `now`: a preset range ends now, a custom one at the end of its last day. */
export function windowOf(input: Parsed, now: Date): ResolvedWindow {
  if (input.from && input.to) {
    const from = new Date(`${input.from}T00:00:00Z`);
    const to = new Date(new Date(`${input.to}T00:00:00Z`).getTime() + DAY);
    return { from, to, range: "custom", fromDay: input.from, toDay: input.to };
  }
  const range: PresetRange = input.range && input.range !== "custom" ? input.range : "30";
  const from = new Date(now.getTime() - Number(range) * DAY);
  return { from, to: now, range, fromDay: dayText(from), toDay: dayText(now) };
}
