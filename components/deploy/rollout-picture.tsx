import type { EnvironmentSummary } from "@/lib/data/pipeline";
import { formatDuration } from "@/components/ui/format";

// How a deploy reaches users here, drawn: one full bar for a direct deploy, two colours and a
// switch for blue-green, growing traffic bars with their pauses for a canary.

export function RolloutPicture({
  environment,
}: {
  environment: Pick<EnvironmentSummary, "rolloutStrategy" | "rolloutSteps">;
}) {
  const { rolloutStrategy: strategy, rolloutSteps: steps } = environment;
  if (strategy === "blue_green")
    return (
      <figure>
        <div className="flex items-center gap-2 text-xs font-medium" aria-hidden="true">
          <span className="flex-1 rounded bg-sky-100 px-2 py-2 text-center text-sky-900 ring-1 ring-sky-300">
            Blue (live)
          </span>
          <svg
            viewBox="0 0 16 16"
            className="size-4 shrink-0 text-slate-400"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          >
            <path d="M2 5h10M9.5 2.5 12 5 9.5 7.5M14 11H4M6.5 8.5 4 11l2.5 2.5" />
          </svg>
          <span className="flex-1 rounded bg-emerald-100 px-2 py-2 text-center text-emerald-900 ring-1 ring-emerald-300">
            Green (idle)
          </span>
        </div>
        <figcaption className="mt-2 text-sm text-slate-600">
          Blue-green: the new release goes to the idle colour (blue or green), is checked there, then all traffic
          switches to it at once.
        </figcaption>
      </figure>
    );
  if (strategy === "direct" || steps.length === 0)
    return (
      <figure>
        <div className="h-3 rounded-full bg-slate-700" aria-hidden="true" />
        <figcaption className="mt-2 text-sm text-slate-600">
          {strategy === "canary"
            ? "Canary without steps: all traffic at once."
            : "Direct: the new release replaces the old one for all traffic at once."}
        </figcaption>
      </figure>
    );
  return (
    <figure>
      <ol className="space-y-1.5">
        {steps.map((step, i) => (
          <li key={i} className="flex items-center gap-3 text-xs">
            <span className="w-10 shrink-0 text-right font-medium tabular-nums text-slate-900">{step.percent}%</span>
            <span className="h-3 flex-1 rounded-full bg-slate-100" aria-hidden="true">
              <span
                className="block h-3 rounded-full bg-amber-500"
                style={{ width: `${Math.max(step.percent, 2)}%` }}
              />
            </span>
            <span className="w-32 shrink-0 whitespace-nowrap text-slate-500">
              {step.pauseSeconds > 0 ? `then wait ${formatDuration(step.pauseSeconds * 1000)}` : "no pause"}
            </span>
          </li>
        ))}
      </ol>
      <figcaption className="mt-2 text-sm text-slate-600">
        Canary: traffic moves to the new release in steps, with health checks between them.
      </figcaption>
    </figure>
  );
}
