"use client";

import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

// A metric's trend, week by week or month by month, as a small bar chart. The chart is a picture
// for sighted readers; its figure caption says what it shows, and the same numbers are a table
// right below it.

export interface TrendPoint {
  /** the week's Monday or the month's first day, YYYY-MM-DD */
  start: string;
  value: number | null;
}

// one formatter per kind of label: toLocaleDateString builds a new one per call, which cost ~35 ms
// a request for two years of weekly points (CPU profile of bench:pages)
const LABEL = {
  week: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }),
  month: new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }),
};
const labelOf = (period: "week" | "month", start: string) => LABEL[period].format(new Date(`${start}T00:00:00Z`));

export function TrendChart({
  id,
  title,
  unit,
  period,
  points,
  target,
}: {
  id: string;
  title: string;
  unit: string;
  period: "week" | "month";
  points: TrendPoint[];
  /** the team's target in the chart's unit, drawn as a line */
  target?: number;
}) {
  const withData = points.filter((p) => p.value !== null).length;
  return (
    <figure aria-labelledby={`${id}-caption`} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <figcaption id={`${id}-caption`} className="text-sm font-medium text-slate-800">
        {title}{" "}
        <span className="font-normal text-slate-500">
          by {period}, in {unit}
        </span>
      </figcaption>
      <div className="mt-2 overflow-x-auto" aria-hidden="true">
        <BarChart
          width={Math.max(300, Math.min(560, points.length * 40 + 60))}
          height={160}
          data={points.map((p) => ({ ...p, label: labelOf(period, p.start) }))}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 11, fill: "#475569" }} allowDecimals />
          <Tooltip
            formatter={(v) => [`${String(v)} ${unit}`, title]}
            labelFormatter={(l) => `${period === "week" ? "Week of " : ""}${typeof l === "string" ? l : ""}`}
          />
          {target !== undefined ? <ReferenceLine y={target} stroke="#0f172a" strokeDasharray="4 3" /> : null}
          <Bar dataKey="value" fill="#0f766e" isAnimationActive={false} />
        </BarChart>
      </div>
      {withData === 0 ? <p className="mt-1 text-xs text-slate-500">No data in this range.</p> : null}
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-slate-700">
          {title} by {period} as a table
        </summary>
        <table className="mt-2 w-full text-left">
          <caption className="sr-only">
            {title} by {period}, in {unit}
          </caption>
          <thead>
            <tr className="text-slate-500">
              <th scope="col" className="py-1 font-medium">
                {period === "week" ? "Week of" : "Month"}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {unit}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.start} className="border-t border-slate-100">
                <th scope="row" className="py-1 font-normal">
                  {period === "week" ? p.start : p.start.slice(0, 7)}
                </th>
                <td className="py-1 text-right tabular-nums">{p.value ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
