import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  validateHealthChecks,
  type HealthCheck,
  type HealthRoundState,
  type PrometheusHealthCheck,
} from "../domain/health-checks";
import { startPrometheus, type TestPrometheus } from "../test/prometheus";
import { healthChecksSchema } from "./health-checks-schema";
import { runHealthRound, type HealthRoundContext } from "./health";

// Health rounds against real servers: HTTP probes against a local service, Prometheus checks
// against a real Prometheus (Debian's package) scraping a local service's /metrics.

const servers: Server[] = [];
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const ctx = (over: Partial<HealthRoundContext> = {}): HealthRoundContext => ({
  application: "storefront",
  environment: { key: "production", url: null },
  color: "green",
  signal: new AbortController().signal,
  ...over,
});

function checks(json: unknown[]): HealthCheck[] {
  const result = validateHealthChecks(json);
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.checks;
}

describe("HTTP probes", () => {
  let base: string;
  let status = 200;
  beforeAll(async () => {
    base = await serve((req, res) => {
      if (req.url === "/hang") return; // never answers
      res.writeHead(req.url === "/healthz" ? status : 404).end("ok");
    });
  });

  it("a path on the environment URL answering the expected status succeeds, with its response time", async () => {
    status = 200;
    const round = await runHealthRound(
      checks([{ kind: "http", name: "healthz", url: "/healthz" }]),
      ctx({ environment: { key: "production", url: `${base}/` } }),
    );
    expect(round.outcome).toBe("success");
    expect(round.measurements).toHaveLength(1);
    const [m] = round.measurements;
    expect(m).toMatchObject({ check: "healthz", kind: "http", outcome: "success" });
    expect(m!.message).toMatch(new RegExp(`^GET ${base}/healthz answered 200 in \\d+ ms$`));
    expect(m!.value).toBeGreaterThan(0);
    expect(m!.value).toBeLessThan(5);
    expect(Date.parse(m!.at)).not.toBeNaN();
    expect(round.state).toEqual({ failuresInARow: { healthz: 0 } });
  });

  it("tolerates failures in a row up to the allowance, fails beyond it, and starts counting again after a success", async () => {
    const probe = checks([{ kind: "http", name: "hz", url: `${base}/healthz`, failuresAllowed: 1 }]);
    status = 503;
    let state: HealthRoundState = { failuresInARow: {} };
    const first = await runHealthRound(probe, ctx(), state);
    expect(first.outcome).toBe("success");
    expect(first.measurements[0]!.message).toBe(
      `GET ${base}/healthz answered 503, expected 200 (1 failed probe in a row, 1 allowed: tolerated)`,
    );
    state = JSON.parse(JSON.stringify(first.state)) as HealthRoundState; // stored and read back
    const second = await runHealthRound(probe, ctx(), state);
    expect(second.outcome).toBe("failure");
    expect(second.measurements[0]!.message).toBe(
      `GET ${base}/healthz answered 503, expected 200 (2 failed probes in a row, 1 allowed)`,
    );
    status = 200;
    const third = await runHealthRound(probe, ctx(), second.state);
    expect(third).toMatchObject({ outcome: "success", state: { failuresInARow: { hz: 0 } } });
    status = 503;
    expect((await runHealthRound(probe, ctx(), third.state)).outcome).toBe("success");
  });

  it("a hanging URL times out and counts as a failed probe", async () => {
    const started = Date.now();
    const round = await runHealthRound(
      checks([{ kind: "http", name: "hang", url: `${base}/hang`, timeoutSeconds: 1, failuresAllowed: 0 }]),
      ctx(),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(round.outcome).toBe("failure");
    expect(round.measurements[0]).toMatchObject({
      value: null,
      message: `GET ${base}/hang did not answer within 1 s (1 failed probe in a row, 0 allowed)`,
    });
  });

  it("a refused connection is a failed probe; an expected status other than 200 is honoured", async () => {
    const closed = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const round = await runHealthRound(
      checks([
        { kind: "http", name: "gone", url: `${closed}/healthz`, failuresAllowed: 0 },
        { kind: "http", name: "missing", url: `${base}/nothing`, expectedStatus: 404 },
      ]),
      ctx(),
    );
    expect(round.outcome).toBe("failure");
    expect(round.measurements.map((m) => [m.check, m.outcome])).toEqual([
      ["gone", "failure"],
      ["missing", "success"],
    ]);
    expect(round.measurements[0]!.message).toBe(
      `GET ${closed}/healthz could not be reached: ECONNREFUSED (1 failed probe in a row, 0 allowed)`,
    );
  });

  it("a path without an environment URL is inconclusive and leaves the count alone", async () => {
    const round = await runHealthRound(checks([{ kind: "http", name: "hz", url: "/healthz" }]), ctx(), {
      failuresInARow: { hz: 2, removed: 5 },
    });
    expect(round).toEqual({
      outcome: "inconclusive",
      measurements: [expect.objectContaining({ outcome: "inconclusive", value: null })],
      state: { failuresInARow: { hz: 2 } },
    });
    expect(round.measurements[0]!.message).toBe("The environment has no URL to resolve /healthz against");
  });

  it("no checks at all is inconclusive, and the caller's abort rejects the round", async () => {
    expect(await runHealthRound([], ctx())).toEqual({
      outcome: "inconclusive",
      measurements: [],
      state: { failuresInARow: {} },
    });
    const controller = new AbortController();
    const round = runHealthRound(
      checks([{ kind: "http", name: "hang", url: `${base}/hang` }]),
      ctx({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error("worker shutting down")), 100);
    await expect(round).rejects.toThrow("worker shutting down");
  });
});

/** A service the way the demo's proxy is instrumented, with counts and latencies the test sets. */
function metricsService() {
  const counts = { "200": 0, "500": 0 };
  const bounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const buckets = bounds.map(() => 0);
  let observed = 0;
  let sum = 0;
  return {
    serve: () =>
      serve((req, res) => {
        if (req.url !== "/metrics") return void res.writeHead(404).end();
        const lines = [
          "# TYPE http_requests_total counter",
          ...Object.entries(counts).map(([code, n]) => `http_requests_total{app="storefront",code="${code}"} ${n}`),
          "# TYPE http_request_duration_seconds histogram",
          ...bounds.map((le, i) => `http_request_duration_seconds_bucket{app="storefront",le="${le}"} ${buckets[i]}`),
          `http_request_duration_seconds_bucket{app="storefront",le="+Inf"} ${observed}`,
          `http_request_duration_seconds_sum{app="storefront"} ${sum}`,
          `http_request_duration_seconds_count{app="storefront"} ${observed}`,
        ];
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`${lines.join("\n")}\n`);
      }),
    request(code: "200" | "500", seconds: number, times: number) {
      counts[code] += times;
      observed += times;
      sum += seconds * times;
      bounds.forEach((le, i) => (buckets[i]! += seconds <= le ? times : 0));
    },
  };
}

describe("Prometheus checks against a real Prometheus", () => {
  const service = metricsService();
  let prometheus: TestPrometheus;
  const rules = () =>
    (checks as (json: unknown[]) => PrometheusHealthCheck[])([
      {
        kind: "prometheus",
        name: "5xx ratio",
        serverUrl: prometheus.url,
        query:
          'sum(increase(http_requests_total{app="{{application}}",code=~"5.."}[1m])) / sum(increase(http_requests_total{app="{{application}}"}[1m]))',
        comparator: ">",
        threshold: 0.05,
        onBreach: "failure",
      },
      {
        kind: "prometheus",
        name: "p95 latency",
        serverUrl: `${prometheus.url}/`,
        query:
          'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{app="{{application}}"}[1m])))',
        comparator: ">",
        threshold: 3,
        onBreach: "inconclusive",
      },
    ]);

  beforeAll(async () => {
    const target = await service.serve();
    prometheus = await startPrometheus({ targets: [target] });
  }, 30_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  it("healthy, then erroring (failure), then slow (inconclusive), as the samples come in", async () => {
    service.request("200", 0.08, 200);
    await prometheus.scrapedAfter();
    const healthy = await runHealthRound(rules(), ctx());
    expect(healthy.measurements.map((m) => [m.check, m.outcome, m.value])).toEqual([
      ["5xx ratio", "success", 0],
      ["p95 latency", "success", expect.any(Number)],
    ]);
    expect(healthy.measurements[1]!.value).toBeLessThan(0.1);
    expect(healthy.outcome).toBe("success");
    expect(healthy.measurements[0]!.message).toBe("5xx ratio: 0, within the threshold (breached when > 0.05)");

    // the service turns bad: 100 of the next 120 requests fail
    service.request("500", 0.08, 100);
    service.request("200", 0.08, 20);
    await prometheus.scrapedAfter();
    const bad = await runHealthRound(rules(), ctx());
    expect(bad.outcome).toBe("failure");
    const [ratio] = bad.measurements;
    expect(ratio).toMatchObject({ check: "5xx ratio", outcome: "failure" });
    expect(ratio!.value).toBeCloseTo(100 / 320, 5);
    expect(ratio!.message).toBe("5xx ratio: 0.3125 > 0.05, the threshold is breached");

    // slow but not erroring: the latency rule asks a person
    service.request("200", 4.5, 20_000);
    await prometheus.scrapedAfter();
    const slow = await runHealthRound([rules()[1]!], ctx());
    expect(slow.outcome).toBe("inconclusive");
    expect(slow.measurements[0]).toMatchObject({ check: "p95 latency", outcome: "inconclusive" });
    expect(slow.measurements[0]!.value).toBeGreaterThan(3);
    expect(slow.measurements[0]!.message).toMatch(/^p95 latency: [\d.]+ > 3, the threshold is breached$/);
  }, 30_000);

  it("no data, a refused query, or a placeholder the deployment lacks are inconclusive", async () => {
    const [ratio] = rules();
    const query = (q: string) => ({ ...ratio!, name: "q", query: q });
    const round = await runHealthRound(
      [
        query('http_requests_total{app="checkout"}'),
        { ...query("sum(rate(http_requests_total[1m]"), name: "broken" },
        { ...query('up{color="{{color}}"}'), name: "colour" },
      ],
      // a key that tries to break out of its label value finds nothing: it stays one value
      ctx({ application: '"} or vector(1) or up{app="', color: null }),
    );
    expect(round.outcome).toBe("inconclusive");
    expect(round.measurements.map((m) => [m.check, m.outcome, m.value])).toEqual([
      ["q", "inconclusive", null],
      ["broken", "inconclusive", null],
      ["colour", "inconclusive", null],
    ]);
    expect(round.measurements[0]!.message).toBe("The query returned no data");
    expect(round.measurements[1]!.message).toMatch(/^Prometheus refused the query \(bad_data\): .*parse error/);
    expect(round.measurements[2]!.message).toBe("The query uses {{color}}, which this deployment does not have");

    const escaped = await runHealthRound(
      [query('sum(http_requests_total{app="{{application}}"})')],
      ctx({ application: '"} or vector(1) or up{app="' }),
    );
    expect(escaped.measurements[0]!.message).toBe("The query returned no data");
    const scalar = await runHealthRound([query("scalar(vector(0.5))")], ctx());
    expect(scalar.measurements[0]).toMatchObject({ outcome: "failure", value: 0.5 });
  });

  it("an HTTP error in front of Prometheus or a hanging Prometheus is inconclusive", async () => {
    const proxy = await serve((req, res) => {
      if (req.url?.startsWith("/hang")) return;
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
    });
    const [ratio] = rules();
    const round = await runHealthRound(
      [
        { ...ratio!, name: "gateway", serverUrl: proxy },
        { ...ratio!, name: "hanging", serverUrl: `${proxy}/hang`, timeoutSeconds: 1 },
      ],
      ctx(),
    );
    expect(round.outcome).toBe("inconclusive");
    expect(round.measurements.map((m) => m.message)).toEqual([
      `Prometheus at ${proxy} answered HTTP 502 without a JSON body`,
      `Prometheus at ${proxy}/hang did not answer within 1 s`,
    ]);
  });

  it("the zod schema gives the same field messages", () => {
    const parsed = healthChecksSchema.safeParse([{ kind: "prometheus", name: "x", serverUrl: "nope", query: "up" }]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["0.serverUrl", "Enter an absolute URL such as https://example.com/healthz"],
      ["0.comparator", "Choose how to compare: >, >=, < or <="],
      ["0.threshold", "Enter the threshold as a number"],
    ]);
    expect(healthChecksSchema.parse([])).toEqual([]);
  });

  // last: it stops this file's Prometheus
  it("Prometheus stopped: inconclusive, with the reason", async () => {
    await prometheus.stop();
    const round = await runHealthRound(rules(), ctx());
    expect(round.outcome).toBe("inconclusive");
    expect(round.measurements[0]!.message).toBe(`Prometheus at ${prometheus.url} could not be reached: ECONNREFUSED`);
  });
});
