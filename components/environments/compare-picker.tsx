import type { EnvironmentSummary } from "@/lib/data/pipeline";
import { compactPrimaryButtonClass } from "@/components/ui/buttons";
import { FieldErrors, inputClass } from "@/components/ui/fields";

// Two environments to compare and a Compare button: a plain GET form, so the comparison's
// address says what it shows and works without JavaScript. Only the stages the viewer may see
// are offered (the page's read already filtered them).

export function ComparePicker({
  environments,
  a,
  b,
  showAll = false,
  errors = {},
}: {
  environments: Pick<EnvironmentSummary, "key" | "name">[];
  a: string | undefined;
  b: string | undefined;
  /** keep the "show equal rows too" choice when comparing others */
  showAll?: boolean;
  errors?: Record<string, string[]>;
}) {
  const select = (name: "a" | "b", label: string, value: string | undefined) => {
    const messages = errors[name] ?? [];
    return (
      <div className="min-w-40">
        <label htmlFor={`compare-${name}`} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <select
          id={`compare-${name}`}
          name={name}
          defaultValue={value}
          className={inputClass}
          aria-invalid={messages.length ? true : undefined}
          aria-describedby={messages.length ? `compare-${name}-error` : undefined}
        >
          {environments.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
            </option>
          ))}
        </select>
        <FieldErrors id={`compare-${name}-error`} messages={messages} />
      </div>
    );
  };
  return (
    <form
      method="get"
      action="/environments/compare"
      aria-label="Compare two environments"
      className="flex flex-wrap items-start gap-3"
    >
      {select("a", "Compare", a)}
      {select("b", "with", b)}
      {showAll ? <input type="hidden" name="show" value="all" /> : null}
      <button type="submit" className={`${compactPrimaryButtonClass} mt-6 py-2`}>
        Compare
      </button>
    </form>
  );
}

/** The last two stages in pipeline order ("staging" and "production"): what to compare first. */
export function defaultPair(environments: Pick<EnvironmentSummary, "key">[]): {
  a: string | undefined;
  b: string | undefined;
} {
  return { a: environments.at(-2)?.key, b: environments.at(-1)?.key };
}
