// The health checks an environment runs while a release rolls out, stored as a JSON array in
// Environment.healthChecks: what each check measures, how a configured list is validated (strict,
// with field messages, for the settings form) or read back (lenient, for stored JSON), and how
// many measurements become one outcome. Pure: the measuring itself is lib/deploy/health.ts.
//
// Three outcomes, as the reference tools have them: success (carry on), failure (abort and roll
// back), inconclusive (pause for a person). Nothing measured is never a success.

export const HEALTH_OUTCOMES = ["success", "failure", "inconclusive"] as const;
export type HealthOutcome = (typeof HEALTH_OUTCOMES)[number];

export const HEALTH_CHECK_KINDS = ["http", "prometheus"] as const;
export type HealthCheckKind = (typeof HEALTH_CHECK_KINDS)[number];

export const COMPARATORS = [">", ">=", "<", "<="] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** An HTTP probe: the check FAILS once more than `failuresAllowed` probes in a row went wrong. */
export interface HttpHealthCheck {
  kind: "http";
  name: string;
  /** an absolute http(s) URL, or a path ("/healthz") on the environment's URL */
  url: string;
  expectedStatus: number;
  timeoutSeconds: number;
  intervalSeconds: number;
  /** consecutive failed probes tolerated before the check fails */
  failuresAllowed: number;
}

/** A PromQL query compared with a threshold: `value comparator threshold` is a breach. */
export interface PrometheusHealthCheck {
  kind: "prometheus";
  name: string;
  /** Prometheus's base URL; the query goes to <serverUrl>/api/v1/query */
  serverUrl: string;
  /** may hold {{application}}, {{environment}} and {{color}}, inside a quoted label value */
  query: string;
  comparator: Comparator;
  threshold: number;
  onBreach: "failure" | "inconclusive";
  intervalSeconds: number;
  timeoutSeconds: number;
}

export type HealthCheck = HttpHealthCheck | PrometheusHealthCheck;

/** One check's result in one round, as stored and charted. */
export interface HealthMeasurement {
  check: string;
  kind: HealthCheckKind;
  /** HTTP: the response time in seconds; Prometheus: the sample's value; null when nothing was measured */
  value: number | null;
  outcome: HealthOutcome;
  /** a sentence for people: what was measured and what it means */
  message: string;
  /** ISO 8601 */
  at: string;
}

/**
 * What a health round carries over to the next, stored by the caller as JSON: the failed HTTP
 * probes in a row, per check name.
 */
export interface HealthRoundState {
  failuresInARow: Record<string, number>;
}

export const EMPTY_HEALTH_STATE: HealthRoundState = { failuresInARow: {} };

export const HEALTH_CHECK_DEFAULTS = {
  expectedStatus: 200,
  httpTimeoutSeconds: 5,
  prometheusTimeoutSeconds: 10,
  intervalSeconds: 30,
  failuresAllowed: 2,
  onBreach: "failure",
} as const;

export const MAX_HEALTH_CHECKS = 20;
export const MAX_CHECK_NAME = 60;
export const MAX_URL_LENGTH = 2000;
export const MAX_QUERY_LENGTH = 4000;
export const PLACEHOLDERS = ["application", "environment", "color"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const LIMITS = {
  expectedStatus: [100, 599],
  timeoutSeconds: [1, 120],
  intervalSeconds: [5, 3600],
  failuresAllowed: [0, 100],
} as const;

// ─── outcomes ─────────────────────────────────────────────────────────────────────────────────

/**
 * One outcome for a round (or any set of results): any failure fails; otherwise any
 * inconclusive result, or no result at all, is inconclusive; only results that all succeeded
 * are a success.
 */
export function combineOutcomes(results: ReadonlyArray<HealthOutcome | { outcome: HealthOutcome }>): HealthOutcome {
  const outcomes = results.map((r) => (typeof r === "string" ? r : r.outcome));
  if (outcomes.includes("failure")) return "failure";
  if (outcomes.length === 0 || outcomes.some((o) => o !== "success")) return "inconclusive";
  return "success";
}

/** Whether `value comparator threshold` holds (NaN never breaches; the caller calls it no data). */
export function breaches(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}

// ─── filling in a check for one deployment ────────────────────────────────────────────────────

/**
 * Escapes text for the inside of a PromQL string literal ("…" or '…', Go escaping), so a value
 * put into a label matcher stays one value whatever it holds.
 */
export function escapePromqlString(text: string): string {
  return text.replace(/[\\"'\n\r\t]/g, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\${c}`,
  );
}

/**
 * The query with its placeholders filled for one deployment, each value escaped for a quoted
 * label value (`{app="{{application}}"}`). A placeholder without a value (no colour in a direct
 * deploy) is a sentence, never an empty matcher that would match everything.
 */
export function renderQuery(
  query: string,
  values: Partial<Record<Placeholder, string | null | undefined>>,
): { ok: true; query: string } | { ok: false; message: string } {
  let missing: string | null = null;
  const rendered = query.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      missing ??= `the query holds an unknown placeholder ${whole}`;
      return whole;
    }
    const value = values[name as Placeholder];
    if (value === undefined || value === null || value === "") {
      missing ??= `the query uses {{${name}}}, which this deployment does not have`;
      return whole;
    }
    return escapePromqlString(value);
  });
  return missing === null ? { ok: true, query: rendered } : { ok: false, message: missing };
}

/**
 * The URL an HTTP check probes: an absolute http(s) URL as it is, a path on the environment's
 * URL (keeping the environment URL's own path prefix), or a sentence saying why there is none.
 */
export function resolveCheckUrl(
  url: string,
  environmentUrl: string | null | undefined,
): { ok: true; url: string } | { ok: false; message: string } {
  if (!url.startsWith("/")) return { ok: true, url };
  if (!environmentUrl) return { ok: false, message: `the environment has no URL to resolve ${url} against` };
  let base: URL;
  try {
    base = new URL(environmentUrl);
  } catch {
    return { ok: false, message: `the environment's URL "${environmentUrl}" is not a URL` };
  }
  if (base.protocol !== "http:" && base.protocol !== "https:")
    return { ok: false, message: `the environment's URL "${environmentUrl}" is not an http(s) URL` };
  const prefix = base.pathname.replace(/\/+$/, "");
  return { ok: true, url: `${base.origin}${prefix}${url}` };
}

// ─── validation ──────────────────────────────────────────────────────────────────────────────

export type HealthCheckFieldErrors = Record<string, string[]>;

type Fields = Record<string, unknown>;
type Errors = Record<string, string[]>;

const HTTP_FIELDS = ["kind", "name", "url", "expectedStatus", "timeoutSeconds", "intervalSeconds", "failuresAllowed"];
const PROMETHEUS_FIELDS = [
  "kind",
  "name",
  "serverUrl",
  "query",
  "comparator",
  "threshold",
  "onBreach",
  "intervalSeconds",
  "timeoutSeconds",
];

function add(errors: Errors, field: string, message: string) {
  (errors[field] ??= []).push(message);
}

/** A number, or a numeric string as forms send them; undefined when absent. */
function numberIn(raw: unknown): number | undefined | null {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(raw)) return Number(raw);
  return null;
}

function wholeNumber(errors: Errors, fields: Fields, field: keyof typeof LIMITS, fallback: number, unit: string) {
  const [min, max] = LIMITS[field];
  const value = numberIn(fields[field]);
  if (value === undefined) return fallback;
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    add(errors, field, `Use a whole number of ${unit} from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

function text(errors: Errors, fields: Fields, field: string, label: string, max: number): string {
  const raw = fields[field];
  if (typeof raw !== "string" || raw.trim() === "") {
    add(errors, field, `Enter ${label}`);
    return "";
  }
  const value = raw.trim();
  if (value.length > max) add(errors, field, `Keep ${label} to ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(field === "query" ? value.replace(/[\n\r\t]/g, " ") : value))
    add(errors, field, `Remove the control characters from ${label}`);
  return value;
}

/** Why `value` is no usable absolute http(s) URL, or null when it is. */
function absoluteUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter an absolute URL such as https://example.com/healthz";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Use an http:// or https:// URL";
  // a password in a stored URL is a secret in the database
  if (url.username || url.password) return "Remove the user name and password from the URL";
  return null;
}

function checkFields(raw: unknown): { check: HealthCheck | null; errors: Errors } {
  const errors: Errors = {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    add(errors, "_", "Each health check must be an object");
    return { check: null, errors };
  }
  const fields = raw as Fields;
  const kind = fields.kind;
  if (kind !== "http" && kind !== "prometheus") {
    add(errors, "kind", 'Choose the kind of check: "http" or "prometheus"');
    return { check: null, errors };
  }
  for (const key of Object.keys(fields))
    if (!(kind === "http" ? HTTP_FIELDS : PROMETHEUS_FIELDS).includes(key))
      add(errors, key, `A ${kind} check has no field "${key}"`);
  const name = text(errors, fields, "name", "a name", MAX_CHECK_NAME);
  const intervalSeconds = wholeNumber(
    errors,
    fields,
    "intervalSeconds",
    HEALTH_CHECK_DEFAULTS.intervalSeconds,
    "seconds",
  );

  if (kind === "http") {
    const url = text(errors, fields, "url", "a URL", MAX_URL_LENGTH);
    if (url && !errors.url) {
      if (url.startsWith("//") || (!url.startsWith("/") && absoluteUrlProblem(url) !== null))
        add(
          errors,
          "url",
          url.startsWith("/")
            ? "Enter a path such as /healthz, or an absolute URL"
            : (absoluteUrlProblem(url) ?? "Enter a URL"),
        );
    }
    const check: HttpHealthCheck = {
      kind,
      name,
      url,
      expectedStatus: wholeNumber(errors, fields, "expectedStatus", HEALTH_CHECK_DEFAULTS.expectedStatus, "status"),
      timeoutSeconds: wholeNumber(
        errors,
        fields,
        "timeoutSeconds",
        HEALTH_CHECK_DEFAULTS.httpTimeoutSeconds,
        "seconds",
      ),
      intervalSeconds,
      failuresAllowed: wholeNumber(
        errors,
        fields,
        "failuresAllowed",
        HEALTH_CHECK_DEFAULTS.failuresAllowed,
        "failures",
      ),
    };
    if (errors.expectedStatus) errors.expectedStatus = ["Use an HTTP status from 100 to 599"];
    return { check, errors };
  }

  const serverUrl = text(errors, fields, "serverUrl", "the Prometheus URL", MAX_URL_LENGTH);
  if (serverUrl && !errors.serverUrl) {
    const problem = absoluteUrlProblem(serverUrl);
    if (problem) add(errors, "serverUrl", problem);
  }
  const query = text(errors, fields, "query", "a PromQL query", MAX_QUERY_LENGTH);
  for (const [, placeholder] of query.matchAll(PLACEHOLDER))
    if (!(PLACEHOLDERS as readonly string[]).includes(placeholder ?? ""))
      add(errors, "query", `Unknown placeholder {{${placeholder}}}: use {{application}}, {{environment}} or {{color}}`);
  const comparator = fields.comparator;
  if (typeof comparator !== "string" || !(COMPARATORS as readonly string[]).includes(comparator))
    add(errors, "comparator", "Choose how to compare: >, >=, < or <=");
  const threshold = numberIn(fields.threshold);
  if (threshold === undefined || threshold === null) add(errors, "threshold", "Enter the threshold as a number");
  const onBreach = fields.onBreach ?? HEALTH_CHECK_DEFAULTS.onBreach;
  if (onBreach !== "failure" && onBreach !== "inconclusive")
    add(errors, "onBreach", 'Choose what a breach means: "failure" or "inconclusive"');
  const check: PrometheusHealthCheck = {
    kind,
    name,
    serverUrl: serverUrl.replace(/\/+$/, ""),
    query,
    comparator: comparator as Comparator,
    threshold: threshold ?? 0,
    onBreach: onBreach as PrometheusHealthCheck["onBreach"],
    intervalSeconds,
    timeoutSeconds: wholeNumber(
      errors,
      fields,
      "timeoutSeconds",
      HEALTH_CHECK_DEFAULTS.prometheusTimeoutSeconds,
      "seconds",
    ),
  };
  return { check, errors };
}

/**
 * A list of checks as the settings form sends it, checked strictly: every entry complete and
 * well-formed, no unknown fields, names unique. Defaults fill the optional fields. Field errors
 * are keyed by index and field ("0.url"; "_" for the list itself), ready for a 422.
 */
export function validateHealthChecks(
  json: unknown,
): { ok: true; checks: HealthCheck[] } | { ok: false; fieldErrors: HealthCheckFieldErrors } {
  const fieldErrors: HealthCheckFieldErrors = {};
  if (!Array.isArray(json)) return { ok: false, fieldErrors: { _: ["Send the health checks as a list"] } };
  if (json.length > MAX_HEALTH_CHECKS) add(fieldErrors, "_", `At most ${MAX_HEALTH_CHECKS} health checks`);
  const checks: HealthCheck[] = [];
  const names = new Set<string>();
  for (const [index, raw] of json.entries()) {
    const { check, errors } = checkFields(raw);
    if (check && check.name) {
      const key = check.name.toLowerCase();
      if (names.has(key)) add(errors, "name", `Another check is already named "${check.name}"`);
      names.add(key);
    }
    for (const [field, messages] of Object.entries(errors))
      for (const message of messages) add(fieldErrors, field === "_" ? String(index) : `${index}.${field}`, message);
    if (check && Object.keys(errors).length === 0) checks.push(check);
  }
  return Object.keys(fieldErrors).length === 0 ? { ok: true, checks } : { ok: false, fieldErrors };
}

/**
 * Checks stored as free JSON, read leniently: the well-formed ones are kept (a later one named
 * like an earlier one is dropped), anything else is left out, so one bad entry never breaks
 * every page or rollout that reads the environment.
 */
export function parseHealthChecks(json: unknown): HealthCheck[] {
  if (!Array.isArray(json)) return [];
  const names = new Set<string>();
  const checks: HealthCheck[] = [];
  for (const raw of json.slice(0, MAX_HEALTH_CHECKS)) {
    const { check, errors } = checkFields(raw);
    if (!check || Object.keys(errors).length > 0 || names.has(check.name.toLowerCase())) continue;
    names.add(check.name.toLowerCase());
    checks.push(check);
  }
  return checks;
}

/** A stored round state, read leniently: counts that are not whole non-negative numbers are dropped. */
export function parseHealthState(json: unknown): HealthRoundState {
  const failures = (json as { failuresInARow?: unknown } | null)?.failuresInARow;
  const state: HealthRoundState = { failuresInARow: {} };
  if (typeof failures !== "object" || failures === null || Array.isArray(failures)) return state;
  for (const [name, count] of Object.entries(failures))
    if (typeof count === "number" && Number.isInteger(count) && count >= 0) state.failuresInARow[name] = count;
  return state;
}
