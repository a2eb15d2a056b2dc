import { describe, expect, it } from "vitest";
import {
  breaches,
  combineOutcomes,
  escapePromqlString,
  HEALTH_OUTCOMES,
  parseHealthChecks,
  parseHealthState,
  renderQuery,
  resolveCheckUrl,
  validateHealthChecks,
  type HealthOutcome,
} from "./health-checks";

// Seed 002's rules, written as the settings form sends them.
const errorRate = {
  kind: "prometheus",
  name: "5xx ratio",
  serverUrl: "http://prometheus.internal:9090/",
  query:
    'sum(rate(http_requests_total{app="{{application}}",code=~"5.."}[5m])) / sum(rate(http_requests_total{app="{{application}}"}[5m]))',
  comparator: ">",
  threshold: 0.05,
  onBreach: "failure",
};
const latency = {
  kind: "prometheus",
  name: "p95 latency",
  serverUrl: "https://prometheus.internal",
  query:
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{env="{{environment}}"}[5m])))',
  comparator: ">",
  threshold: "3",
  onBreach: "inconclusive",
  intervalSeconds: 60,
};
const probe = { kind: "http", name: "healthz", url: "/healthz" };

describe("validateHealthChecks", () => {
  it("accepts seed 002's rules and an HTTP probe, filling the defaults", () => {
    expect(validateHealthChecks([probe, errorRate, latency])).toEqual({
      ok: true,
      checks: [
        {
          kind: "http",
          name: "healthz",
          url: "/healthz",
          expectedStatus: 200,
          timeoutSeconds: 5,
          intervalSeconds: 30,
          failuresAllowed: 2,
        },
        {
          ...errorRate,
          serverUrl: "http://prometheus.internal:9090",
          intervalSeconds: 30,
          timeoutSeconds: 10,
        },
        { ...latency, threshold: 3, timeoutSeconds: 10 },
      ],
    });
  });

  it("accepts an absolute probe URL and form strings for numbers", () => {
    const result = validateHealthChecks([
      {
        kind: "http",
        name: " shop ",
        url: "https://shop.example/ready",
        expectedStatus: "204",
        timeoutSeconds: "2",
        intervalSeconds: 10,
        failuresAllowed: "0",
      },
    ]);
    expect(result).toEqual({
      ok: true,
      checks: [
        {
          kind: "http",
          name: "shop",
          url: "https://shop.example/ready",
          expectedStatus: 204,
          timeoutSeconds: 2,
          intervalSeconds: 10,
          failuresAllowed: 0,
        },
      ],
    });
  });

  it("an empty list is valid: no checks", () => {
    expect(validateHealthChecks([])).toEqual({ ok: true, checks: [] });
  });

  it.each([
    [{ ...probe, url: "ftp://x/healthz" }, "0.url", "Use an http:// or https:// URL"],
    [{ ...probe, url: "healthz" }, "0.url", "Enter an absolute URL such as https://example.com/healthz"],
    [{ ...probe, url: "//evil.example/x" }, "0.url", "Enter a path such as /healthz, or an absolute URL"],
    [{ ...probe, url: "https://u:p@x.example/" }, "0.url", "Remove the user name and password from the URL"],
    [{ ...probe, url: "" }, "0.url", "Enter a URL"],
    [{ ...probe, url: 42 }, "0.url", "Enter a URL"],
    [{ ...probe, url: `/${"a".repeat(2000)}` }, "0.url", "Keep a URL to 2000 characters"],
    [{ ...probe, name: "" }, "0.name", "Enter a name"],
    [{ ...probe, name: "x".repeat(61) }, "0.name", "Keep a name to 60 characters"],
    [{ ...probe, name: "a\u0007b" }, "0.name", "Remove the control characters from a name"],
    [{ ...probe, expectedStatus: 700 }, "0.expectedStatus", "Use an HTTP status from 100 to 599"],
    [{ ...probe, expectedStatus: "ok" }, "0.expectedStatus", "Use an HTTP status from 100 to 599"],
    [{ ...probe, timeoutSeconds: 0 }, "0.timeoutSeconds", "Use a whole number of seconds from 1 to 120"],
    [{ ...probe, timeoutSeconds: 1.5 }, "0.timeoutSeconds", "Use a whole number of seconds from 1 to 120"],
    [{ ...probe, intervalSeconds: 1 }, "0.intervalSeconds", "Use a whole number of seconds from 5 to 3600"],
    [{ ...probe, intervalSeconds: Infinity }, "0.intervalSeconds", "Use a whole number of seconds from 5 to 3600"],
    [{ ...probe, failuresAllowed: -1 }, "0.failuresAllowed", "Use a whole number of failures from 0 to 100"],
    [{ ...probe, query: "up" }, "0.query", 'A http check has no field "query"'],
    [{ ...probe, kind: "tcp" }, "0.kind", 'Choose the kind of check: "http" or "prometheus"'],
    [{ ...errorRate, serverUrl: "prometheus:9090" }, "0.serverUrl", "Use an http:// or https:// URL"],
    [
      { ...errorRate, serverUrl: "not a url" },
      "0.serverUrl",
      "Enter an absolute URL such as https://example.com/healthz",
    ],
    [{ ...errorRate, serverUrl: undefined }, "0.serverUrl", "Enter the Prometheus URL"],
    [{ ...errorRate, query: "  " }, "0.query", "Enter a PromQL query"],
    [
      { ...errorRate, query: 'up{job="{{service}}"}' },
      "0.query",
      "Unknown placeholder {{service}}: use {{application}}, {{environment}} or {{color}}",
    ],
    [{ ...errorRate, comparator: "==" }, "0.comparator", "Choose how to compare: >, >=, < or <="],
    [{ ...errorRate, comparator: undefined }, "0.comparator", "Choose how to compare: >, >=, < or <="],
    [{ ...errorRate, threshold: "five" }, "0.threshold", "Enter the threshold as a number"],
    [{ ...errorRate, threshold: NaN }, "0.threshold", "Enter the threshold as a number"],
    [{ ...errorRate, threshold: undefined }, "0.threshold", "Enter the threshold as a number"],
    [{ ...errorRate, onBreach: "rollback" }, "0.onBreach", 'Choose what a breach means: "failure" or "inconclusive"'],
    [{ ...errorRate, failuresAllowed: 3 }, "0.failuresAllowed", 'A prometheus check has no field "failuresAllowed"'],
    [null, "0", "Each health check must be an object"],
    [[probe], "0", "Each health check must be an object"],
  ])("refuses %j with a message on %s", (entry, field, message) => {
    const result = validateHealthChecks([entry]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field]).toContain(message);
  });

  it("keys errors by the entry's index and refuses names used twice, whatever their case", () => {
    const result = validateHealthChecks([probe, { ...errorRate, name: "HEALTHZ" }, { ...probe, name: "b", url: "x" }]);
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        "1.name": ['Another check is already named "HEALTHZ"'],
        "2.url": ["Enter an absolute URL such as https://example.com/healthz"],
      },
    });
  });

  it("refuses what is not a list, and more than 20 checks", () => {
    expect(validateHealthChecks({ checks: [] })).toEqual({
      ok: false,
      fieldErrors: { _: ["Send the health checks as a list"] },
    });
    const many = Array.from({ length: 21 }, (_, i) => ({ ...probe, name: `c${i}` }));
    expect(validateHealthChecks(many)).toEqual({ ok: false, fieldErrors: { _: ["At most 20 health checks"] } });
  });
});

describe("parseHealthChecks (stored JSON)", () => {
  it("keeps the well-formed checks and drops the rest", () => {
    const checks = parseHealthChecks([
      probe,
      { ...probe, url: "ftp://x" },
      null,
      "healthz",
      { ...errorRate, comparator: "!=" },
      { ...probe, name: "HealthZ", url: "/other" },
      latency,
    ]);
    expect(checks.map((c) => c.name)).toEqual(["healthz", "p95 latency"]);
  });

  it.each([null, undefined, "[]", 3, { 0: probe }])("reads %j as no checks", (json) => {
    expect(parseHealthChecks(json)).toEqual([]);
  });
});

describe("parseHealthState", () => {
  it("keeps whole non-negative counts", () => {
    expect(parseHealthState({ failuresInARow: { a: 2, b: -1, c: 1.5, d: "3", e: 0 } })).toEqual({
      failuresInARow: { a: 2, e: 0 },
    });
  });
  it.each([null, undefined, 1, "x", { failuresInARow: [1] }, {}])("reads %j as a fresh state", (json) => {
    expect(parseHealthState(json)).toEqual({ failuresInARow: {} });
  });
});

describe("combineOutcomes", () => {
  it("nothing measured is inconclusive, never a success", () => {
    expect(combineOutcomes([])).toBe("inconclusive");
  });

  it("any failure fails, else any inconclusive is inconclusive, else success", () => {
    expect(combineOutcomes(["success", "success"])).toBe("success");
    expect(combineOutcomes(["success", "inconclusive"])).toBe("inconclusive");
    expect(combineOutcomes(["inconclusive", "failure", "success"])).toBe("failure");
    expect(combineOutcomes([{ outcome: "success" }, { outcome: "failure" }])).toBe("failure");
  });

  it("holds for every combination of up to three results", () => {
    const all: HealthOutcome[][] = [[]];
    for (let n = 0; n < 3; n++)
      for (const prefix of all.filter((a) => a.length === n)) for (const o of HEALTH_OUTCOMES) all.push([...prefix, o]);
    for (const results of all) {
      const expected = results.includes("failure")
        ? "failure"
        : results.length > 0 && results.every((r) => r === "success")
          ? "success"
          : "inconclusive";
      expect(combineOutcomes(results), JSON.stringify(results)).toBe(expected);
    }
  });
});

describe("breaches", () => {
  it.each([
    [0.06, ">", 0.05, true],
    [0.05, ">", 0.05, false],
    [0.05, ">=", 0.05, true],
    [0.04, "<", 0.05, true],
    [0.05, "<=", 0.05, true],
    [0.06, "<=", 0.05, false],
    [NaN, ">", 0.05, false],
    [Infinity, ">", 3, true],
  ] as const)("%d %s %d → %s", (value, comparator, threshold, expected) => {
    expect(breaches(value, comparator, threshold)).toBe(expected);
  });
});

describe("renderQuery", () => {
  it("fills the placeholders, escaped for a quoted label value", () => {
    expect(
      renderQuery('rate(x{app="{{application}}",env="{{ environment }}",color="{{color}}"}[5m])', {
        application: "store",
        environment: 'pro"d\\\n',
        color: "green",
      }),
    ).toEqual({ ok: true, query: 'rate(x{app="store",env="pro\\"d\\\\\\n",color="green"}[5m])' });
  });

  it("a value cannot end the string and add a matcher of its own", () => {
    const result = renderQuery('up{app="{{application}}"}', { application: '"} or vector(1) or up{app="' });
    expect(result).toEqual({ ok: true, query: 'up{app="\\"} or vector(1) or up{app=\\""}' });
  });

  it("a placeholder without a value, or an unknown one, is a sentence", () => {
    expect(renderQuery('up{color="{{color}}"}', { application: "a" })).toEqual({
      ok: false,
      message: "the query uses {{color}}, which this deployment does not have",
    });
    expect(renderQuery("up{x='{{foo}}'}", {})).toEqual({
      ok: false,
      message: "the query holds an unknown placeholder {{foo}}",
    });
  });

  it("escapes quotes, backslashes and control characters", () => {
    expect(escapePromqlString(`a'b"c\\d\te\rf`)).toBe(`a\\'b\\"c\\\\d\\te\\rf`);
  });
});

describe("resolveCheckUrl", () => {
  it("resolves a path against the environment URL, keeping its path prefix", () => {
    expect(resolveCheckUrl("/healthz", "https://shop.example")).toEqual({
      ok: true,
      url: "https://shop.example/healthz",
    });
    expect(resolveCheckUrl("/healthz?deep=1", "http://127.0.0.1:8080/store/")).toEqual({
      ok: true,
      url: "http://127.0.0.1:8080/store/healthz?deep=1",
    });
  });

  it("keeps an absolute URL", () => {
    expect(resolveCheckUrl("https://status.example/ok", null)).toEqual({ ok: true, url: "https://status.example/ok" });
  });

  it("says why a path cannot be resolved", () => {
    expect(resolveCheckUrl("/healthz", null)).toEqual({
      ok: false,
      message: "the environment has no URL to resolve /healthz against",
    });
    expect(resolveCheckUrl("/healthz", "not a url")).toEqual({
      ok: false,
      message: 'the environment\'s URL "not a url" is not a URL',
    });
    expect(resolveCheckUrl("/healthz", "mailto:ops@shop.example")).toEqual({
      ok: false,
      message: 'the environment\'s URL "mailto:ops@shop.example" is not an http(s) URL',
    });
  });
});
