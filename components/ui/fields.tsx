import type { ReactNode } from "react";

// Labelled controls for every form: each input names its hint and its errors in
// aria-describedby, so a screen reader hears both with the field.

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900 aria-invalid:border-red-500";

/** The controls of the filter forms above lists (audit, metrics): a GET form, one row on wide screens. */
const filterControlClass =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-slate-900 aria-[invalid=true]:ring-red-600";

/** A filter's error messages, short and under its control. */
function FilterFieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <p id={id} className="mt-1 text-xs font-medium text-red-700">
      {messages.join(" ")}
    </p>
  );
}

/**
 * What a filter's control carries: its id, the filter style, and when it is in error
 * aria-invalid; aria-describedby names its error and any hints shared with other fields.
 */
export function filterControl(id: string, errors: string[] | undefined, ...hints: string[]) {
  const describedBy = [...(errors?.length ? [`${id}-error`] : []), ...hints].join(" ");
  return {
    id,
    className: filterControlClass,
    ...(errors?.length ? { "aria-invalid": true as const } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  };
}

/** A filter: its label, its control (given filterControl(id, errors)), and its errors. */
export function FilterField({
  id,
  label,
  errors,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  errors: string[] | undefined;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      <FilterFieldError id={`${id}-error`} messages={errors} />
    </div>
  );
}

/** A field's error messages, under the id its control names in aria-describedby. */
export function FieldErrors({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div id={id} className="mt-1 space-y-0.5 text-sm text-red-700">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

function describedBy(id: string, hint: ReactNode, errors: string[]): string | undefined {
  return [hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Hint({ id, children }: { id: string; children: ReactNode }) {
  return children ? (
    <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
      {children}
    </p>
  ) : null;
}

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, "id" | "name">;

/** A text, number, url, time or date input with its label, hint and errors. */
export function InputField({
  id,
  name,
  label,
  hint,
  errors,
  className = "",
  ...input
}: { id: string; name: string; label: ReactNode; hint?: ReactNode; errors: string[] } & InputProps) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        className={inputClass}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...input}
      />
      <Hint id={id}>{hint}</Hint>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

type SelectProps = Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "id" | "name">;

export function SelectField({
  id,
  name,
  label,
  hint,
  errors,
  options,
  className = "",
  ...select
}: {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  errors: string[];
  options: { value: string; label: string }[];
} & SelectProps) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        name={name}
        className={inputClass}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={id}>{hint}</Hint>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

/** A checkbox with its label beside it and what it means underneath. */
export function CheckboxField({
  id,
  name,
  label,
  hint,
  errors,
  ...input
}: { id: string; name: string; label: ReactNode; hint?: ReactNode; errors: string[] } & Omit<InputProps, "type">) {
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        name={name}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 accent-slate-900"
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...input}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-900">
          {label}
        </label>
        <Hint id={id}>{hint}</Hint>
        <FieldErrors id={`${id}-error`} messages={errors} />
      </div>
    </div>
  );
}
