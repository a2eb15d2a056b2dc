// The demo's traffic splitter, one per application × environment: it holds the environment's
// stable URL and sends each request to the blue or the green service (service.mjs) by the
// current split, so a canary really moves traffic, and counts what it forwarded as Prometheus
// metrics at /metrics. Started detached by deploy.mjs; stopped with SIGTERM (its services stop
// with it).
//
// The split lives in the state file deploy.mjs writes (DEMO_STATE_FILE): `traffic` sends
// `percent` of requests to `color` and the rest to the other colour, `colors` holds where each
// colour listens. The proxy reads it at start and whenever deploy.mjs asks it to
// (POST /_greenlight/reload, from this machine only), and answers with what it now routes. The
// split is exact, not random: of every 100 requests, `percent` go to `color`.
//
// A request carrying `x-greenlight-color: blue|green` goes to that colour whatever the split:
// deploy.mjs asks the colour taking most traffic what it serves that way.
//
// The Greenlight that owns the services folder (processes.mjs: `npm start`, which stops the demo
// when it stops) is watched: once the owner this proxy saw is gone without stopping it (killed,
// its terminal closed), the proxy stops, and its services with it.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { listenOnFirstFree, portsFromEnv } from "./listen.mjs";
import { ownerAlive, readOwner } from "./processes.mjs";

const COLORS = ["blue", "green"];
const ADMIN = "/_greenlight/";
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const app = process.env.GREENLIGHT_APP ?? "";
const environment = process.env.GREENLIGHT_ENV ?? "";
const stateFile = process.env.DEMO_STATE_FILE ?? "";
const host = process.env.DEMO_SERVICE_HOST ?? "127.0.0.1";
const ports = portsFromEnv("demo proxy");
if (!stateFile) {
  console.error("demo proxy: DEMO_STATE_FILE is missing");
  process.exit(1);
}

const other = (color) => (color === "blue" ? "green" : "blue");

/** What the proxy routes: each colour's backend, and the split. */
let routes = { colors: {}, traffic: { color: "blue", percent: 100 } };
/** requests routed since the split last changed: the exact split counts from 0 again */
let routed = 0;

function load() {
  const state = JSON.parse(readFileSync(stateFile, "utf8"));
  const colors = {};
  for (const color of COLORS) {
    const c = state.colors?.[color];
    if (c && typeof c.url === "string" && c.url)
      colors[color] = { url: new URL(c.url), version: String(c.version ?? "") };
  }
  const t = state.traffic ?? {};
  const traffic = {
    color: COLORS.includes(t.color) ? t.color : "blue",
    percent: Number.isInteger(t.percent) && t.percent >= 0 && t.percent <= 100 ? t.percent : 100,
  };
  routes = { colors, traffic };
  routed = 0;
  console.log(`demo proxy: ${describe()}`);
}

function share(color) {
  const { traffic } = routes;
  return traffic.color === color ? traffic.percent : 100 - traffic.percent;
}

function describe() {
  return COLORS.map((c) => `${share(c)}% to ${c} (${routes.colors[c]?.version ?? "nothing deployed"})`).join(", ");
}

function status() {
  const colors = {};
  for (const c of COLORS)
    colors[c] = {
      version: routes.colors[c]?.version ?? null,
      url: routes.colors[c]?.url.href ?? null,
      percent: share(c),
    };
  const serving = share(routes.traffic.color) >= 50 ? routes.traffic.color : other(routes.traffic.color);
  return { app, environment, traffic: routes.traffic, colors, serving, version: colors[serving].version };
}

/** Bresenham over the request count: exactly `percent` of every 100 requests go to `color`. */
function pick() {
  const { color, percent } = routes.traffic;
  const n = routed++;
  const chosen = Math.floor(((n + 1) * percent) / 100) > Math.floor((n * percent) / 100) ? color : other(color);
  // a colour with nothing deployed takes no traffic while the other can
  return routes.colors[chosen] ? chosen : routes.colors[other(chosen)] ? other(chosen) : null;
}

// ─── metrics (Prometheus text format 0.0.4, written by hand: the demo has no dependencies) ──────

const requests = new Map(); // "color\0version\0code" → count
const durations = new Map(); // "color\0version" → { buckets: number[], sum, count }

function record(color, version, code, seconds) {
  const key = `${color}\0${version}\0${code}`;
  requests.set(key, (requests.get(key) ?? 0) + 1);
  const hkey = `${color}\0${version}`;
  let h = durations.get(hkey);
  if (!h) durations.set(hkey, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
  BUCKETS.forEach((le, i) => {
    if (seconds <= le) h.buckets[i] += 1;
  });
  h.sum += seconds;
  h.count += 1;
}

const label = (value) => String(value).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs) =>
  `{${Object.entries({ app, environment, ...pairs })
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(",")}}`;

function metrics() {
  const lines = [
    "# HELP http_requests_total Requests the demo proxy forwarded, by colour, version and status code.",
    "# TYPE http_requests_total counter",
  ];
  for (const [key, count] of requests) {
    const [color, version, code] = key.split("\0");
    lines.push(`http_requests_total${labels({ color, version, code })} ${count}`);
  }
  lines.push(
    "# HELP http_request_duration_seconds Time from forwarding a request to the end of its response.",
    "# TYPE http_request_duration_seconds histogram",
  );
  for (const [key, h] of durations) {
    const [color, version] = key.split("\0");
    BUCKETS.forEach((le, i) =>
      lines.push(`http_request_duration_seconds_bucket${labels({ color, version, le })} ${h.buckets[i]}`),
    );
    lines.push(`http_request_duration_seconds_bucket${labels({ color, version, le: "+Inf" })} ${h.count}`);
    lines.push(`http_request_duration_seconds_sum${labels({ color, version })} ${h.sum}`);
    lines.push(`http_request_duration_seconds_count${labels({ color, version })} ${h.count}`);
  }
  return `${lines.join("\n")}\n`;
}

// ─── the server ──────────────────────────────────────────────────────────────────────────────

const json = (res, code, body) =>
  res.writeHead(code, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));

function admin(req, res, pathname) {
  const local = ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");
  if (pathname === `${ADMIN}status` && req.method === "GET") return json(res, 200, status());
  if (pathname === `${ADMIN}reload` && req.method === "POST") {
    if (!local) return json(res, 403, { error: "the split can only be changed from this machine" });
    try {
      load();
    } catch (e) {
      return json(res, 500, { error: `cannot read ${stateFile}: ${e.message}` });
    }
    return json(res, 200, status());
  }
  return json(res, 404, { error: "unknown admin endpoint" });
}

function forward(req, res, color) {
  const backend = routes.colors[color];
  const started = process.hrtime.bigint();
  const done = (code) => record(color, backend.version, code, Number(process.hrtime.bigint() - started) / 1e9);
  const upstream = http.request(
    {
      host: backend.url.hostname,
      port: backend.url.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, "x-forwarded-host": req.headers.host ?? "", "x-greenlight-color": color },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on("end", () => done(answer.statusCode ?? 502));
      answer.on("error", () => res.destroy());
    },
  );
  upstream.on("error", (e) => {
    done(502);
    if (!res.headersSent)
      res
        .writeHead(502, { "content-type": "text/plain" })
        .end(`${color} (${backend.version}) does not answer: ${e.code ?? e.message}\n`);
    else res.destroy();
  });
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (pathname === "/metrics") {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
    return res.end(metrics());
  }
  if (pathname.startsWith(ADMIN)) return admin(req, res, pathname);
  const pinned = req.headers["x-greenlight-color"];
  const color = COLORS.includes(pinned) ? (routes.colors[pinned] ? pinned : null) : pick();
  if (!color) {
    res.writeHead(503, { "content-type": "text/plain" });
    return res.end(`nothing is deployed to ${COLORS.includes(pinned) ? pinned : `${app} in ${environment}`} yet\n`);
  }
  forward(req, res, color);
});

try {
  load();
} catch (e) {
  console.error(`demo proxy: cannot read ${stateFile}: ${e.message}`);
  process.exit(1);
}
const shutdown = listenOnFirstFree(server, ports, host, "demo proxy", (bound) =>
  console.log(`demo proxy for ${app} in ${environment} on http://${host}:${bound}/`),
);

// the owner recorded next to the state file; a newer live one replaces the one seen before
const servicesDir = path.dirname(stateFile);
let owner = null;
const watchOwner = () => {
  const recorded = readOwner(servicesDir);
  if (recorded && ownerAlive(recorded)) owner = recorded;
  else if (owner && !ownerAlive(owner)) {
    console.log(`demo proxy: Greenlight (pid ${owner.pid}) is gone: stopping`);
    owner = null;
    shutdown();
  }
};
watchOwner();
setInterval(watchOwner, 500).unref();
