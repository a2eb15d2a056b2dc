import { ChecklistProgressBar } from "@/components/checklist/progress-bar";
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
      <ChecklistProgressBar label="Checklist progress" done={done} total={base.length} text={text} />
    </div>
  );
}
