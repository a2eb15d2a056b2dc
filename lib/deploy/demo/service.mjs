// The tiny service the demo deploy script starts, one per application × environment × colour
// (blue, green): it serves what was deployed there, behind the proxy (proxy.mjs) that holds the
// environment's URL, so that URL shows a real running version and health checks have something
// real to check. Started detached by deploy.mjs; stopped with SIGTERM, or when its proxy
// (DEMO_PROXY_PID) is gone. DEMO_SERVICE_PORTS lists the ports to try in turn (0: any free one);
// the port it got goes back to deploy.mjs over the IPC channel, and is printed to its log.
//
// DEMO_BAD=1 (a release the demo marks bad) answers 500 to 9 requests in 10, but /healthz still
// passes: only the error rate in the proxy's metrics gives it away.
import http from "node:http";
import { listenOnFirstFree, portsFromEnv } from "./listen.mjs";

const info = {
  app: process.env.GREENLIGHT_APP ?? "",
  environment: process.env.GREENLIGHT_ENV ?? "",
  version: process.env.GREENLIGHT_VERSION ?? "",
  commit: process.env.GREENLIGHT_COMMIT ?? "",
  color: process.env.GREENLIGHT_COLOR ?? "",
  startedAt: new Date().toISOString(),
};
const ports = portsFromEnv("demo service");
const bad = process.env.DEMO_BAD === "1";
let served = 0;
const host = process.env.DEMO_SERVICE_HOST ?? "127.0.0.1";

const escape = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function page() {
  const rows = [
    ["Application", info.app],
    ["Environment", info.environment],
    ["Version", info.version],
    ["Commit", info.commit || "unknown"],
    ["Colour", info.color || "none"],
    ["Started at", info.startedAt],
  ]
    .map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(`${info.app} ${info.version} · ${info.environment}`)}</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem}th{text-align:left;padding-right:1.5rem}</style></head>
<body><h1>${escape(info.app)} <small>${escape(info.version)}</small></h1>
<p>Deployed by Greenlight to <strong>${escape(info.environment)}</strong>.</p><table>${rows}</table>
<p><a href="/healthz">Health</a></p></body></html>`;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
  } else if (url.pathname === "/healthz") {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ status: "ok", ...info }));
  } else if (bad && ++served % 10 !== 0) {
    // from the very first request on (only every tenth passes): a smoke check's first probe sees it
    res.writeHead(500, { "content-type": "text/plain" }).end(`${info.app} ${info.version} failed this request\n`);
  } else if (url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(page());
  } else {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
});

const shutdown = listenOnFirstFree(server, ports, host, "demo service", (bound) =>
  console.log(
    `demo service ${info.app} ${info.version} (${info.color || "no colour"}) on http://${host}:${bound}/${bad ? ": marked bad, answers 500 to 9 requests in 10" : ""}`,
  ),
);

// the proxy in front owns this service's lifetime: once it is gone (stopped, killed, crashed),
// nobody can reach this one, and it must not outlive it
const proxyPid = Number(process.env.DEMO_PROXY_PID);
if (Number.isInteger(proxyPid) && proxyPid > 0) {
  setInterval(() => {
    try {
      process.kill(proxyPid, 0);
    } catch (e) {
      if (e.code === "ESRCH") {
        console.log(`demo service: the proxy (pid ${proxyPid}) is gone: stopping`);
        shutdown();
      }
    }
  }, 500).unref();
}
