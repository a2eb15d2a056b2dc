import type { Choice } from "@/lib/data/metrics/read";
import { primaryButtonClass } from "@/components/ui/buttons";
import type { MetricsQuery } from "./present";
import { FilterField, filterControl } from "@/components/ui/fields";

// The metrics page's filters: a plain GET form, so each view is a URL to share and the page works
// without JavaScript. Custom dates apply when "Custom range" is chosen (or dates are given).

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
            <FilterField
              id="metrics-application"
              label="Application"
              errors={undefined}
              className="col-span-2 sm:col-span-1"
            >
              <select
                name="application"
                defaultValue={values.application ?? ""}
                {...filterControl("metrics-application", undefined)}
              >
                <option value="">All applications</option>
                {applications.map((a) => (
                  <option key={a.key} value={a.key}>
                    {a.name}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField
              id="metrics-environment"
              label="Environment"
              errors={undefined}
              className="col-span-2 sm:col-span-1"
            >
              <select
                name="environment"
                defaultValue={values.environment ?? ""}
                {...filterControl("metrics-environment", undefined)}
              >
                {environments.map((e) => (
                  <option key={e.key} value={e.key}>
                    {e.name}
                  </option>
                ))}
              </select>
            </FilterField>
          </>
        ) : (
          // the choices could not be read (a bad range): what was asked is kept for the next try
          <>
            <input type="hidden" name="application" value={values.application ?? ""} />
            <input type="hidden" name="environment" value={values.environment ?? ""} />
          </>
        )}
        <FilterField id="metrics-range" label="Range" errors={fieldErrors.range} className="col-span-2 sm:col-span-1">
          <select name="range" defaultValue={range} {...filterControl("metrics-range", fieldErrors.range)}>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="custom">Custom range</option>
          </select>
        </FilterField>
        <FilterField id="metrics-from" label="From" errors={fieldErrors.from}>
          <input
            name="from"
            type="date"
            defaultValue={values.from ?? ""}
            {...filterControl("metrics-from", fieldErrors.from)}
          />
        </FilterField>
        <FilterField id="metrics-to" label="To" errors={fieldErrors.to}>
          <input
            name="to"
            type="date"
            defaultValue={values.to ?? ""}
            {...filterControl("metrics-to", fieldErrors.to)}
          />
        </FilterField>
        {/* level with the controls (under their labels), not with an error message below them */}
        <div className="col-span-2 flex items-start pt-6 sm:col-span-1">
          <button type="submit" className={`${primaryButtonClass} w-full`}>
            Show
          </button>
        </div>
      </div>
      <p className="mt-2 text-xs text-slate-500">From and To (whole days, UTC) apply with “Custom range”.</p>
    </form>
  );
}
