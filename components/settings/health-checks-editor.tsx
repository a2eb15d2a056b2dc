"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { COMPARATORS, HEALTH_CHECK_DEFAULTS, type HealthCheck } from "@/lib/domain/health-checks";
import { FieldErrors, InputField, SelectField, inputClass } from "@/components/ui/fields";
import { secondaryButtonClass } from "@/components/ui/buttons";

// The health checks watched between rollout steps: HTTP probes and Prometheus queries, edited
// as rows. Every value stays text until the server checks it (lib/domain/health-checks.ts), so
// what was typed survives a refusal; empty optional numbers take the defaults.

export interface CheckRow {
  key: string;
  kind: "http" | "prometheus";
  name: string;
  url: string;
  expectedStatus: string;
  failuresAllowed: string;
  serverUrl: string;
  query: string;
  comparator: string;
  threshold: string;
  onBreach: string;
  intervalSeconds: string;
  timeoutSeconds: string;
}

// rows from the server are keyed by place (the same on the server's render and the browser's,
// so ids match when the page hydrates); rows added here get a fresh key
let counter = 0;
const newKey = () => `check-new-${++counter}`;

const blank = (kind: CheckRow["kind"]): CheckRow => ({
  key: newKey(),
  kind,
  name: "",
  url: "",
  expectedStatus: "",
  failuresAllowed: "",
  serverUrl: "",
  query: "",
  comparator: ">",
  threshold: "",
  onBreach: "failure",
  intervalSeconds: "",
  timeoutSeconds: "",
});

export function rowsOfChecks(checks: HealthCheck[]): CheckRow[] {
  return checks.map((c, i) =>
    c.kind === "http"
      ? {
          ...blank("http"),
          key: `check-${i}`,
          name: c.name,
          url: c.url,
          expectedStatus: String(c.expectedStatus),
          failuresAllowed: String(c.failuresAllowed),
          intervalSeconds: String(c.intervalSeconds),
          timeoutSeconds: String(c.timeoutSeconds),
        }
      : {
          ...blank("prometheus"),
          key: `check-${i}`,
          name: c.name,
          serverUrl: c.serverUrl,
          query: c.query,
          comparator: c.comparator,
          threshold: String(c.threshold),
          onBreach: c.onBreach,
          intervalSeconds: String(c.intervalSeconds),
          timeoutSeconds: String(c.timeoutSeconds),
        },
  );
}

/** What the operation receives: only the fields of the row's kind, empty ones left out. */
export function checkOfRow(row: CheckRow): Record<string, string> {
  const fields =
    row.kind === "http"
      ? (["name", "url", "expectedStatus", "failuresAllowed", "intervalSeconds", "timeoutSeconds"] as const)
      : ([
          "name",
          "serverUrl",
          "query",
          "comparator",
          "threshold",
          "onBreach",
          "intervalSeconds",
          "timeoutSeconds",
        ] as const);
  const out: Record<string, string> = { kind: row.kind };
  for (const f of fields) if (row[f].trim() !== "") out[f] = row[f];
  return out;
}

/** Seed 002's rules as they are written there, for a one-click start. */
export function seed002Example(): CheckRow[] {
  const server = "http://localhost:9090";
  const app = 'app="{{application}}",environment="{{environment}}"';
  return [
    {
      ...blank("prometheus"),
      name: "5xx ratio over 5 minutes",
      serverUrl: server,
      query: `sum(rate(http_requests_total{${app},code=~"5.."}[5m])) / sum(rate(http_requests_total{${app}}[5m]))`,
      comparator: ">",
      threshold: "0.05",
      onBreach: "failure",
    },
    {
      ...blank("prometheus"),
      name: "p95 latency",
      serverUrl: server,
      query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${app}}[5m])))`,
      comparator: ">",
      threshold: "3",
      onBreach: "inconclusive",
    },
  ];
}

export function HealthChecksEditor({
  rows,
  setRows,
  errors,
  listErrors,
}: {
  rows: CheckRow[];
  setRows: (update: (rows: CheckRow[]) => CheckRow[]) => void;
  /** the messages of one row's field, by the row's key */
  errors: (key: string, field: string) => string[];
  listErrors: string[];
}) {
  // after an add or a removal, focus goes to the new row's name, or on to the add buttons
  const focusNext = useRef<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    (target === "add" ? addButton.current : document.getElementById(target))?.focus();
  });
  const append = (added: CheckRow[]) => {
    focusNext.current = added[0] ? `health-${added[0].key}-name` : null;
    setRows((l) => [...l, ...added]);
  };
  const update = (key: string, change: Partial<CheckRow>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const existing = new Set(rows.map((r) => r.name.trim().toLowerCase()));
  const example = () => seed002Example().filter((r) => !existing.has(r.name.toLowerCase()));

  return (
    <div className="space-y-4">
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600">
          No health checks: rollouts move on after each pause without measuring anything. Add an HTTP probe or a
          Prometheus query below.
        </p>
      ) : (
        <ol className="space-y-4" aria-label="Health checks">
          {rows.map((row, i) => {
            const id = `health-${row.key}`;
            const field = (
              name: keyof CheckRow,
              label: ReactNode,
              extra: {
                hint?: ReactNode;
                placeholder?: string;
                className?: string;
                inputMode?: "numeric" | "decimal";
              } = {},
            ) => (
              <InputField
                id={`${id}-${name}`}
                name={name}
                label={label}
                value={row[name]}
                onChange={(e) => update(row.key, { [name]: e.currentTarget.value })}
                autoComplete="off"
                spellCheck={false}
                errors={errors(row.key, name)}
                {...extra}
              />
            );
            return (
              <li key={row.key} className="rounded-md border border-slate-200 p-4">
                <fieldset className="space-y-4">
                  <legend className="text-sm font-medium text-slate-900">
                    Check {i + 1}: {row.kind === "http" ? "HTTP probe" : "Prometheus query"}
                  </legend>
                  <FieldErrors id={`${id}-error`} messages={errors(row.key, "_")} />
                  <div className="grid gap-4 sm:grid-cols-2">
                    {field("name", "Name", { placeholder: row.kind === "http" ? "health" : "5xx ratio" })}
                    {row.kind === "http"
                      ? field("url", "URL or path", {
                          hint: "A path such as /healthz is probed on the environment's URL.",
                          placeholder: "/healthz",
                        })
                      : field("serverUrl", "Prometheus URL", { placeholder: "http://prometheus:9090" })}
                  </div>
                  {row.kind === "http" ? (
                    <div className="grid gap-4 sm:grid-cols-4">
                      {field("expectedStatus", "Expected status", {
                        placeholder: String(HEALTH_CHECK_DEFAULTS.expectedStatus),
                        inputMode: "numeric",
                      })}
                      {field("failuresAllowed", "Failures allowed in a row", {
                        placeholder: String(HEALTH_CHECK_DEFAULTS.failuresAllowed),
                        inputMode: "numeric",
                      })}
                      {field("intervalSeconds", "Every (s)", {
                        placeholder: String(HEALTH_CHECK_DEFAULTS.intervalSeconds),
                        inputMode: "numeric",
                      })}
                      {field("timeoutSeconds", "Timeout (s)", {
                        placeholder: String(HEALTH_CHECK_DEFAULTS.httpTimeoutSeconds),
                        inputMode: "numeric",
                      })}
                    </div>
                  ) : (
                    <>
                      <div>
                        <label htmlFor={`${id}-query`} className="block text-sm font-medium text-slate-700">
                          PromQL query
                        </label>
                        <textarea
                          id={`${id}-query`}
                          rows={2}
                          value={row.query}
                          onChange={(e) => update(row.key, { query: e.currentTarget.value })}
                          spellCheck={false}
                          className={`${inputClass} font-mono`}
                          aria-invalid={errors(row.key, "query").length ? true : undefined}
                          aria-describedby={`${id}-query-hint${errors(row.key, "query").length ? ` ${id}-query-error` : ""}`}
                        />
                        <p id={`${id}-query-hint`} className="mt-1 text-xs text-slate-500">
                          {"{{application}}, {{environment}} and {{color}} are filled in, inside quoted label values."}
                        </p>
                        <FieldErrors id={`${id}-query-error`} messages={errors(row.key, "query")} />
                      </div>
                      <div className="grid gap-4 sm:grid-cols-5">
                        <SelectField
                          id={`${id}-comparator`}
                          name="comparator"
                          label="Breached when"
                          value={row.comparator}
                          onChange={(e) => update(row.key, { comparator: e.currentTarget.value })}
                          options={COMPARATORS.map((c) => ({ value: c, label: `value ${c}` }))}
                          errors={errors(row.key, "comparator")}
                        />
                        {field("threshold", "Threshold", { placeholder: "0.05", inputMode: "decimal" })}
                        <SelectField
                          id={`${id}-onBreach`}
                          name="onBreach"
                          label="A breach means"
                          value={row.onBreach}
                          onChange={(e) => update(row.key, { onBreach: e.currentTarget.value })}
                          options={[
                            { value: "failure", label: "Failure: roll back" },
                            { value: "inconclusive", label: "Inconclusive: pause" },
                          ]}
                          errors={errors(row.key, "onBreach")}
                        />
                        {field("intervalSeconds", "Every (s)", {
                          placeholder: String(HEALTH_CHECK_DEFAULTS.intervalSeconds),
                          inputMode: "numeric",
                        })}
                        {field("timeoutSeconds", "Timeout (s)", {
                          placeholder: String(HEALTH_CHECK_DEFAULTS.prometheusTimeoutSeconds),
                          inputMode: "numeric",
                        })}
                      </div>
                    </>
                  )}
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    onClick={() => {
                      focusNext.current = "add";
                      setRows((list) => list.filter((r) => r.key !== row.key));
                    }}
                  >
                    Remove
                    <span className="sr-only">
                      {" "}
                      check {i + 1}
                      {row.name ? ` (${row.name})` : ""}
                    </span>
                  </button>
                </fieldset>
              </li>
            );
          })}
        </ol>
      )}
      <FieldErrors id="health-checks-error" messages={listErrors} />
      <div className="flex flex-wrap gap-2">
        <button type="button" ref={addButton} className={secondaryButtonClass} onClick={() => append([blank("http")])}>
          Add HTTP probe
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => append([blank("prometheus")])}>
          Add Prometheus query
        </button>
        {example().length ? (
          <button type="button" className={secondaryButtonClass} onClick={() => append(example())}>
            Add the example: 5xx ratio over 5 min &gt; 0.05 → failure; p95 latency &gt; 3 s → inconclusive
          </button>
        ) : null}
      </div>
    </div>
  );
}
