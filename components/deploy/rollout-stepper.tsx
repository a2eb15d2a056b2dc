import { formatDuration } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusIcon } from "@/components/ui/status-icon";
import { TONE_CLASSES, TONE_TEXT } from "@/components/ui/status-badge";
import { STEP_STATE_META, type StepEntry } from "./rollout-steps";

// The rollout's steps in order, as a vertical stepper: each with its state in words and shape
// (never colour alone), its times and the worker's message. The step at work now is marked for
// screen readers too (aria-current).

export function RolloutStepper({ entries, now }: { entries: StepEntry[]; now: Date }) {
  return (
    <ol className="relative space-y-0">
      {entries.map((entry, i) => {
        const meta = STEP_STATE_META[entry.state];
        const last = i === entries.length - 1;
        return (
          <li
            key={entry.key}
            aria-current={entry.current ? "step" : undefined}
            className="relative flex gap-3 pb-5 last:pb-0"
          >
            {last ? null : <span className="absolute top-7 bottom-0 left-3.5 w-px bg-slate-200" aria-hidden="true" />}
            <span
              className={`relative z-10 flex size-7 shrink-0 items-center justify-center rounded-full ring-1 ring-inset ${TONE_CLASSES[meta.tone]} ${entry.current ? "ring-2" : ""}`}
              aria-hidden="true"
            >
              <StatusIcon name={meta.icon} className="size-4" />
            </span>
            <div className="min-w-0 flex-1 pt-0.5">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
                <p className="font-medium text-slate-900">
                  {entry.title}
                  {entry.current ? <span className="sr-only"> (current step)</span> : null}
                </p>
                <p className={`text-sm font-medium ${TONE_TEXT[meta.tone]}`}>{meta.label}</p>
              </div>
              <p className="text-xs text-slate-500">
                {entry.startedAt ? (
                  <>
                    Started <RelativeTime date={entry.startedAt} now={now} />
                    {entry.finishedAt
                      ? `, took ${formatDuration(entry.finishedAt.getTime() - entry.startedAt.getTime())}`
                      : null}
                  </>
                ) : entry.action === "traffic" && entry.pauseSeconds ? (
                  `Then watches health for ${formatDuration(entry.pauseSeconds * 1000)}`
                ) : (
                  "Not started"
                )}
              </p>
              {entry.message ? <p className="mt-1 text-sm break-words text-slate-700">{entry.message}</p> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
