"use client";

import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import type { MeasurementView } from "@/lib/data/deployments/view";
import {
  clockOf,
  countsText,
  healthSeries,
  OUTCOME_LABEL,
  timeDomain,
  type HealthPoint,
  type HealthSeries,
  type Outcome,
} from "./health-series";

// Health measurements over time, one small chart per check on a shared time axis (see
// health-series.ts for why not one axis), each point coloured and shaped by its outcome, with a
// line through the series. Lines mark where each traffic step began. The charts are pictures
// for sighted readers; the same measurements are a table below them, and each chart's label
// says what it shows in words.

const OUTCOMES: Outcome[] = ["success", "inconclusive", "failure"];
const COLOR: Record<Outcome, string> = { success: "#16a34a", inconclusive: "#d97706", failure: "#dc2626" };
// a shape per outcome, so the points read without their colour
const SHAPE: Record<Outcome, "circle" | "diamond" | "cross"> = {
  success: "circle",
  inconclusive: "diamond",
  failure: "cross",
};

export interface StepMark {
  at: number;
  label: string;
}

export function HealthChart({
  measurements,
  steps,
  truncated,
}: {
  measurements: MeasurementView[];
  /** where traffic steps began (epoch ms), to mark on the time axis */
  steps: StepMark[];
  /** only the newest measurements were read */
  truncated: boolean;
}) {
  const series = healthSeries(measurements);
  const domain = timeDomain(series);
  return (
    <div className="space-y-5">
      <Legend />
      {truncated ? (
        <p className="text-xs text-slate-500">Showing the latest {measurements.length} measurements.</p>
      ) : null}
      {series.map((s) => (
        <CheckChart key={s.check} series={s} domain={domain} steps={steps} />
      ))}
      <details className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-slate-200">
        <summary className="cursor-pointer text-sm font-medium text-slate-800">Measurements as a table</summary>
        <MeasurementTable measurements={measurements} />
      </details>
    </div>
  );
}

function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label="Outcomes">
      {OUTCOMES.map((o) => (
        <li key={o} className="flex items-center gap-1.5">
          <svg viewBox="0 0 12 12" className="size-3" aria-hidden="true">
            <OutcomeMark outcome={o} cx={6} cy={6} />
          </svg>
          {OUTCOME_LABEL[o]}
        </li>
      ))}
    </ul>
  );
}

function OutcomeMark({ outcome, cx, cy }: { outcome: Outcome; cx: number; cy: number }) {
  const c = COLOR[outcome];
  if (SHAPE[outcome] === "circle") return <circle cx={cx} cy={cy} r={4} fill={c} />;
  if (SHAPE[outcome] === "diamond")
    return <path d={`M${cx} ${cy - 5}L${cx + 5} ${cy}L${cx} ${cy + 5}L${cx - 5} ${cy}Z`} fill={c} />;
  return (
    <path
      d={`M${cx - 4} ${cy - 4}L${cx + 4} ${cy + 4}M${cx + 4} ${cy - 4}L${cx - 4} ${cy + 4}`}
      stroke={c}
      strokeWidth={2.5}
      strokeLinecap="round"
    />
  );
}

function CheckChart({
  series,
  domain,
  steps,
}: {
  series: HealthSeries;
  domain: [number, number] | null;
  steps: StepMark[];
}) {
  const label = `${series.check}: ${countsText(series.counts)}${
    series.points.length ? `, from ${clockOf(series.points[0]!.t)} to ${clockOf(series.points.at(-1)!.t)} UTC` : ""
  }`;
  return (
    <figure>
      <figcaption className="mb-1 flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        <span className="font-medium break-all text-slate-900">{series.check}</span>
        <span className="text-xs text-slate-500">
          {series.kind ? `${series.kind} · ` : ""}
          {countsText(series.counts)}
          {series.withoutValue ? ` · ${series.withoutValue} without a value (in the table)` : ""}
        </span>
      </figcaption>
      <div role="img" aria-label={label}>
        <ComposedChart
          responsive
          style={{ width: "100%", height: 150 }}
          data={series.points}
          margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={domain ?? ["dataMin", "dataMax"]}
            tickFormatter={clockOf}
            tick={{ fontSize: 11, fill: "#64748b" }}
            stroke="#cbd5e1"
            minTickGap={40}
          />
          <YAxis
            dataKey="y"
            type="number"
            width={56}
            tick={{ fontSize: 11, fill: "#64748b" }}
            stroke="#cbd5e1"
            {...(series.scale === "outcome"
              ? {
                  domain: [-0.5, 2.5],
                  ticks: [0, 1, 2],
                  tickFormatter: (v: number) => (v === 2 ? "ok" : v === 1 ? "unsure" : v === 0 ? "fail" : ""),
                }
              : { domain: ["auto", "auto"], tickFormatter: (v: number) => compact(v) })}
          />
          {steps.map((s) => (
            <ReferenceLine
              key={`${s.at}-${s.label}`}
              x={s.at}
              stroke="#94a3b8"
              strokeDasharray="4 3"
              label={{ value: s.label, position: "insideTopLeft", fontSize: 10, fill: "#475569" }}
            />
          ))}
          <Line dataKey="y" stroke="#94a3b8" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          {/* one series whose points each draw their own outcome: in a ComposedChart a Scatter
              draws the chart's data, not its own, so a series per outcome would draw every
              point three times, the last shape on top */}
          <Scatter
            name="Measurements"
            dataKey="y"
            shape={(props: { cx?: number; cy?: number; payload?: HealthPoint }) =>
              props.cx === undefined || props.cy === undefined || !props.payload ? (
                <g />
              ) : (
                <OutcomeMark outcome={props.payload.outcome} cx={props.cx} cy={props.cy} />
              )
            }
            isAnimationActive={false}
          />
          <Tooltip content={PointTooltip} isAnimationActive={false} />
        </ComposedChart>
      </div>
    </figure>
  );
}

/** 0.0523 → "0.052", 1234.5 → "1,235": axis ticks stay short. */
function compact(v: number): string {
  if (!Number.isFinite(v)) return "";
  const a = Math.abs(v);
  if (a !== 0 && a < 1) return v.toPrecision(2);
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: a < 10 ? 2 : 0 }).format(v);
}

function PointTooltip({ active, payload }: Pick<TooltipContentProps<ValueType, NameType>, "active" | "payload">) {
  const point = active ? (payload?.[0]?.payload as HealthPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="max-w-xs rounded-md bg-white px-3 py-2 text-xs shadow-md ring-1 ring-slate-200">
      <p className="font-medium text-slate-900">
        {clockOf(point.t)} UTC · <span style={{ color: COLOR[point.outcome] }}>{OUTCOME_LABEL[point.outcome]}</span>
      </p>
      <p className="mt-0.5 break-words text-slate-600">{point.message}</p>
    </div>
  );
}

function MeasurementTable({ measurements }: { measurements: MeasurementView[] }) {
  // newest first: what the reader wants to know is how it stands now
  const rows = [...measurements].sort((a, b) => b.at.getTime() - a.at.getTime());
  return (
    <div
      className="mt-2 max-h-80 overflow-auto"
      tabIndex={0}
      role="region"
      aria-label="Health measurements, newest first"
    >
      <table className="w-full text-left text-xs">
        <caption className="sr-only">Health measurements, newest first</caption>
        <thead className="sticky top-0 bg-slate-50 font-semibold text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3">
              Time (UTC)
            </th>
            <th scope="col" className="py-1 pr-3">
              Check
            </th>
            <th scope="col" className="py-1 pr-3">
              Step
            </th>
            <th scope="col" className="py-1 pr-3 text-right">
              Value
            </th>
            <th scope="col" className="py-1 pr-3">
              Outcome
            </th>
            <th scope="col" className="py-1">
              Message
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.map((m, i) => (
            <tr key={`${m.at.getTime()}-${m.check}-${i}`}>
              <td className="py-1 pr-3 whitespace-nowrap tabular-nums">
                <time dateTime={m.at.toISOString()}>{clockOf(m.at.getTime())}</time>
              </td>
              <td className="py-1 pr-3 break-all">{m.check}</td>
              <td className="py-1 pr-3 tabular-nums">{m.step < 0 ? "deploy" : m.step + 1}</td>
              <td className="py-1 pr-3 text-right tabular-nums">{m.value === null ? "—" : compact(m.value)}</td>
              <td className="py-1 pr-3 font-medium whitespace-nowrap" style={{ color: COLOR[m.outcome] }}>
                {OUTCOME_LABEL[m.outcome]}
              </td>
              <td className="py-1 break-words text-slate-600">{m.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
