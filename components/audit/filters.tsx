import Link from "@/components/ui/link";
import type { AuditFilterOptions, AuditFilters } from "@/lib/data/audit/log";
import { FilterField, filterControl } from "@/components/ui/fields";

// The audit page's filters: a plain GET form, so every filtered view is a URL to share or
// bookmark and the page works before (or without) JavaScript.

const FIELDS = ["actor", "action", "environment", "from", "to"] as const;

function query(filters: AuditFilters, page = 1): string {
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The audit page's URL for these filters and a page (page 1 stays implicit). */
export function auditHref(filters: AuditFilters, page = 1): string {
  return `/audit${query(filters, page)}`;
}

/** The CSV download of the same filtered events. */
export function auditExportHref(filters: AuditFilters): string {
  return `/audit/export${query(filters)}`;
}

export function AuditFilterForm({
  values,
  options,
  fieldErrors = {},
}: {
  /** what the URL asked for, even when it did not validate, so it can be corrected */
  values: AuditFilters;
  options: AuditFilterOptions;
  fieldErrors?: Record<string, string[]>;
}) {
  const known = new Set([...options.actionGroups, ...options.actions].map((a) => a.value));
  const environmentKnown = options.environments.some((e) => e.key === values.environment);

  return (
    <form
      method="get"
      action="/audit"
      role="search"
      aria-label="Filter audit events"
      className="mb-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      {/* phones: one field per line, the two dates side by side; wide screens: one row */}
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1.3fr)_minmax(0,1fr)_minmax(0,0.9fr)_minmax(0,0.9fr)]">
        <FilterField id="audit-actor" label="Actor" errors={fieldErrors.actor} className="col-span-2 sm:col-span-1">
          <input
            name="actor"
            type="search"
            defaultValue={values.actor ?? ""}
            placeholder="Name, email or token"
            maxLength={200}
            autoComplete="off"
            {...filterControl("audit-actor", fieldErrors.actor)}
          />
        </FilterField>
        <FilterField id="audit-action" label="Action" errors={fieldErrors.action} className="col-span-2 sm:col-span-1">
          <select
            name="action"
            defaultValue={values.action ?? ""}
            {...filterControl("audit-action", fieldErrors.action)}
          >
            <option value="">All actions</option>
            {values.action && !known.has(values.action) ? <option value={values.action}>{values.action}</option> : null}
            {options.actionGroups.length ? (
              <optgroup label="Kinds of event">
                {options.actionGroups.map((group) => (
                  <option key={group.value} value={group.value}>
                    {group.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {options.actions.length ? (
              <optgroup label="Actions">
                {options.actions.map((action) => (
                  <option key={action.value} value={action.value}>
                    {action.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </FilterField>
        <FilterField
          id="audit-environment"
          label="Environment"
          errors={fieldErrors.environment}
          className="col-span-2 lg:col-span-1"
        >
          <select
            name="environment"
            defaultValue={values.environment ?? ""}
            {...filterControl("audit-environment", fieldErrors.environment)}
          >
            <option value="">{options.scope === "all" ? "Any, or none" : "Any of yours"}</option>
            {values.environment && !environmentKnown ? (
              <option value={values.environment}>{values.environment}</option>
            ) : null}
            {options.environments.map((environment) => (
              <option key={environment.key} value={environment.key}>
                {environment.name}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id="audit-from" label="From" errors={fieldErrors.from}>
          <input
            name="from"
            type="date"
            defaultValue={values.from ?? ""}
            {...filterControl("audit-from", fieldErrors.from, "audit-dates-hint")}
          />
        </FilterField>
        <FilterField id="audit-to" label="To" errors={fieldErrors.to}>
          <input
            name="to"
            type="date"
            defaultValue={values.to ?? ""}
            {...filterControl("audit-to", fieldErrors.to, "audit-dates-hint")}
          />
        </FilterField>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-x-3 gap-y-2">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900"
        >
          Apply filters
        </button>
        <Link
          href="/audit"
          className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
        >
          Clear
        </Link>
        <p id="audit-dates-hint" className="text-xs text-slate-500 sm:ml-auto">
          Dates are whole days in UTC, both included.
        </p>
      </div>
    </form>
  );
}
