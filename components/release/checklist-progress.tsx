import { plural } from "@/components/ui/format";

// How far a checklist is: the required items (which the checklist gate waits for) as a sentence
// and a bar whose value a screen reader reads as the same sentence.

export function ReleaseChecklistProgress({ items }: { items: readonly { required: boolean; checked: boolean }[] }) {
  const required = items.filter((i) => i.required);
  const base = required.length > 0 ? required : items;
  const done = base.filter((i) => i.checked).length;
  const text =
    required.length > 0
      ? `${done} of ${plural(required.length, "required item")} ticked`
      : `No required items; ${done} of ${plural(items.length, "item")} ticked`;
  const percent = base.length ? Math.round((done / base.length) * 100) : 100;
  const optional = items.length - required.length;
  return (
    <div className="mt-1">
      <p className="flex flex-wrap justify-between gap-x-3 text-sm text-slate-600">
        <span>{text}</span>
        {required.length > 0 && optional > 0 ? (
          <span className="text-slate-500">
            {items.filter((i) => !i.required && i.checked).length} of {plural(optional, "optional item")} ticked
          </span>
        ) : null}
      </p>
      <div
        role="progressbar"
        aria-label={`Checklist progress`}
        aria-valuemin={0}
        aria-valuemax={base.length}
        aria-valuenow={done}
        aria-valuetext={text}
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] ${done === base.length ? "bg-green-600" : "bg-amber-500"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
