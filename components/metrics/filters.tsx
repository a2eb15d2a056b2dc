import type { Choice } from "@/lib/data/metrics/read";
import { primaryButtonClass } from "@/components/ui/buttons";
import type { MetricsQuery } from "./present";

// The metrics page's filters: a plain GET form, so each view is a URL to share and the page works
// without JavaScript. Custom dates apply when "Custom range" is chosen (or dates are given).

const control =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-slate-900 aria-[invalid=true]:ring-red-600";

function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <p id={id} className="mt-1 text-xs font-medium text-red-700">
      {messages.join(" ")}
    </p>
  );
}

export function MetricsFilterForm({
  values,
  environments,
  applications,
  fieldErrors = {},
}: {
  values: MetricsQuery;
  environments: Choice[];
  applications: Choice[];
  fieldErrors?: Record<string, string[]>;
}) {
  const invalid = (name: string) =>
    fieldErrors[name]?.length ? { "aria-invalid": true as const, "aria-describedby": `metrics-${name}-error` } : {};
  const range = values.from || values.to ? "custom" : (values.range ?? "30");
  return (
    <form
      method="get"
      action="/metrics"
      role="search"
      aria-label="Choose what the metrics cover"
      className="mb-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto]">
        {environments.length ? (
          <>
            <div className="col-span-2 sm:col-span-1">
              <label htmlFor="metrics-application" className="block text-sm font-medium text-slate-700">
                Application
              </label>
              <select
                id="metrics-application"
                name="application"
                defaultValue={values.application ?? ""}
                className={control}
              >
                <option value="">All applications</option>
                {applications.map((a) => (
                  <option key={a.key} value={a.key}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="col-span-2 sm:col-span-1">
              <label htmlFor="metrics-environment" className="block text-sm font-medium text-slate-700">
                Environment
              </label>
              <select
                id="metrics-environment"
                name="environment"
                defaultValue={values.environment ?? ""}
                className={control}
              >
                {environments.map((e) => (
                  <option key={e.key} value={e.key}>
                    {e.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : (
          // the choices could not be read (a bad range): what was asked is kept for the next try
          <>
            <input type="hidden" name="application" value={values.application ?? ""} />
            <input type="hidden" name="environment" value={values.environment ?? ""} />
          </>
        )}
        <div className="col-span-2 sm:col-span-1">
          <label htmlFor="metrics-range" className="block text-sm font-medium text-slate-700">
            Range
          </label>
          <select id="metrics-range" name="range" defaultValue={range} className={control} {...invalid("range")}>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="custom">Custom range</option>
          </select>
          <FieldError id="metrics-range-error" messages={fieldErrors.range} />
        </div>
        <div>
          <label htmlFor="metrics-from" className="block text-sm font-medium text-slate-700">
            From
          </label>
          <input
            id="metrics-from"
            name="from"
            type="date"
            defaultValue={values.from ?? ""}
            className={control}
            {...invalid("from")}
          />
          <FieldError id="metrics-from-error" messages={fieldErrors.from} />
        </div>
        <div>
          <label htmlFor="metrics-to" className="block text-sm font-medium text-slate-700">
            To
          </label>
          <input
            id="metrics-to"
            name="to"
            type="date"
            defaultValue={values.to ?? ""}
            className={control}
            {...invalid("to")}
          />
          <FieldError id="metrics-to-error" messages={fieldErrors.to} />
        </div>
        <div className="col-span-2 flex items-end sm:col-span-1">
          <button type="submit" className={`${primaryButtonClass} w-full`}>
            Show
          </button>
        </div>
      </div>
      <p className="mt-2 text-xs text-slate-500">From and To (whole days, UTC) apply with “Custom range”.</p>
    </form>
  );
}
