// The tiny service the demo deploy script starts, one per application × environment: it serves
// what was deployed there, so the environment's URL shows a real running version and health
// checks have something real to check. Started detached by deploy.mjs; stopped with SIGTERM.
// DEMO_SERVICE_PORTS lists the ports to try in turn (0: any free one); the port it got goes back
// to deploy.mjs over the IPC channel, and is printed to its log.
import http from "node:http";

const info = {
  app: process.env.GREENLIGHT_APP ?? "",
  environment: process.env.GREENLIGHT_ENV ?? "",
  version: process.env.GREENLIGHT_VERSION ?? "",
  commit: process.env.GREENLIGHT_COMMIT ?? "",
  startedAt: new Date().toISOString(),
};
const ports = (process.env.DEMO_SERVICE_PORTS ?? process.env.DEMO_SERVICE_PORT ?? "")
  .split(",")
  .filter((p) => p.trim() !== "")
  .map(Number);
const host = process.env.DEMO_SERVICE_HOST ?? "127.0.0.1";

const escape = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function page() {
  const rows = [
    ["Application", info.app],
    ["Environment", info.environment],
    ["Version", info.version],
    ["Commit", info.commit || "unknown"],
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
  } else if (url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(page());
  } else {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
});

if (ports.length === 0 || !ports.every((p) => Number.isInteger(p) && p >= 0 && p <= 65535)) {
  console.error(`demo service: DEMO_SERVICE_PORTS is not a list of ports: "${process.env.DEMO_SERVICE_PORTS ?? ""}"`);
  process.exit(1);
}

/** Listens on the first of `ports` that is free; any other error, or none free, ends the service. */
function listen(index) {
  const port = ports[index];
  const onError = (e) => {
    if (e.code === "EADDRINUSE" && index + 1 < ports.length) {
      console.log(`demo service: port ${port} is taken, trying ${ports[index + 1] || "any free port"}`);
      listen(index + 1);
      return;
    }
    console.error(`demo service: ${e.message}`);
    process.exit(1);
  };
  server.once("error", onError);
  server.listen(port, host, () => {
    server.off("error", onError);
    server.on("error", (e) => {
      console.error(`demo service: ${e.message}`);
      process.exit(1);
    });
    const { port: bound } = server.address();
    console.log(`demo service ${info.app} ${info.version} on http://${host}:${bound}/`);
    if (process.connected) process.send({ port: bound }, () => process.connected && process.disconnect());
  });
}
listen(0);

const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
