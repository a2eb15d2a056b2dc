// How far a checklist is, as a bar: a release's checklist (components/release/checklist-progress.tsx)
// and a deployment's (components/deploy/deployment-checklist.tsx).

/** How far a checklist is: a bar whose value a screen reader reads as `text`. */
export function ChecklistProgressBar({
  label,
  done,
  total,
  text,
}: {
  label: string;
  done: number;
  total: number;
  text: string;
}) {
  const percent = total ? Math.round((done / total) * 100) : 100;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={text}
      className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full transition-[width] ${done === total ? "bg-green-600" : "bg-amber-500"}`}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
